/**
 * `npm run invoke <function> [-- --data '{"a":1}' --dir backend]`: invokes one function once
 * and prints what it returned and logged. The function is named as in serverless.ts.
 *
 * When `npm start` or `npm run dev` runs that folder (.dojo/run/clouds/), the function is
 * invoked there, through the Lambda API, so the board and the AWS CLI see what it did.
 * Otherwise the service is deployed on a fresh in-memory local cloud, torn down afterwards.
 *
 * Exit codes: 0 the function returned; 1 it threw, timed out, or the service did not
 * deploy; a UsageError (exit 2) for bad --data or an unknown function.
 */
import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { InvokeCommand, LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import pc from 'picocolors';
import { type InvokeResult, type LambdaError, LocalCloud } from '../../emulator/index.ts';
import { cloudForDir, type CloudEntry } from '../core/clouds.ts';
import { REPO_ROOT, UsageError } from '../core/repo.ts';

export interface InvokeArgs {
  fn: string | undefined;
  /** The event, as JSON (default `{}`). */
  data?: string;
  /** The service folder (default backend/). */
  dir?: string;
  root?: string;
  print?: (text: string) => void;
}

export async function invoke(args: InvokeArgs): Promise<number> {
  const root = args.root ?? REPO_ROOT;
  const print = args.print ?? ((text: string) => console.log(text));
  const event = parseEvent(args.data);
  const dir = args.dir ? resolve(args.dir) : join(root, 'backend');
  const dirName = shown(root, dir);
  if (!existsSync(dir))
    throw new UsageError(`${dirName}/ does not exist. Point --dir at the folder that holds serverless.ts.`);

  const running = cloudForDir(root, dir);
  if (running) return invokeOnRunningCloud(running, args.fn, event, dirName, root, print);

  print(pc.dim(`… packaging and deploying ${dirName}/ on the local cloud`));
  // Real speed: a handler that waits, and its timeout, behave as they would on AWS.
  const cloud = await LocalCloud.start({ speed: 1 });
  try {
    let stackName: string;
    try {
      stackName = (await cloud.deployService(dir)).name;
    } catch (err) {
      printDeployError(err as Error & { output?: string }, print);
      return 1;
    }
    const target = pickFunction(
      cloud.lambda.list().map((f) => f.name),
      `${stackName}-`,
      args.fn,
      dirName,
    );

    print(pc.dim(`… invoking ${target.short} with ${JSON.stringify(event)}`));
    const result = await cloud.lambda.invoke(target.name, event, { source: 'npm run invoke' });
    printResult(target.short, result, root, print);
    return result.ok ? 0 : 1;
  } finally {
    await cloud.stop();
  }
}

/** The function named `fn` (short, as in serverless.ts, or in full) among `names`; a UsageError listing them otherwise. */
function pickFunction(
  names: string[],
  prefix: string,
  fn: string | undefined,
  dirName: string,
): { name: string; short: string } {
  const functions = names.map((name) => ({
    name,
    short: name.startsWith(prefix) ? name.slice(prefix.length) : name,
  }));
  const available = functions.map((f) => f.short).join(', ') || 'none';
  if (!fn)
    throw new UsageError(
      `Which function? ${dirName}/ has: ${available}.\nFor example: npm run invoke ${functions[0]?.short ?? 'createVirus'}`,
    );
  const target =
    functions.find((f) => f.short === fn || f.name === fn) ??
    functions.find((f) => f.name.endsWith(`-${fn}`));
  if (!target) throw new UsageError(`No function "${fn}" in ${dirName}/serverless.ts. It has: ${available}.`);
  return target;
}

/** Invokes through the Lambda API of the local cloud that `npm start`/`npm run dev` runs for this folder. */
async function invokeOnRunningCloud(
  running: CloudEntry,
  fn: string | undefined,
  event: unknown,
  dirName: string,
  root: string,
  print: (text: string) => void,
): Promise<number> {
  print(
    pc.dim(
      `… using the local cloud of ${running.command ?? 'npm run dev'} (pid ${running.pid}) on ${running.endpoint}, which runs ${dirName}/`,
    ),
  );
  const lambda = new LambdaClient({
    endpoint: running.endpoint,
    region: running.region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    const names: string[] = [];
    let marker: string | undefined;
    do {
      const page = await lambda.send(new ListFunctionsCommand({ Marker: marker }));
      for (const f of page.Functions ?? []) if (f.FunctionName) names.push(f.FunctionName);
      marker = page.NextMarker;
    } while (marker);
    // Every function of the service is named <service>-<stage>-<function>: the shared prefix.
    const prefix = /^(.*-local-)/.exec(names[0] ?? '')?.[1] ?? '';
    const target = pickFunction(names, prefix, fn, dirName);
    print(pc.dim(`… invoking ${target.short} with ${JSON.stringify(event)}`));
    const t0 = performance.now();
    const out = await lambda.send(
      new InvokeCommand({
        FunctionName: target.name,
        Payload: Buffer.from(JSON.stringify(event)),
        LogType: 'Tail',
      }),
    );
    const text = out.Payload ? Buffer.from(out.Payload).toString('utf8') : '';
    const payload: unknown = text ? JSON.parse(text) : undefined;
    const ok = !out.FunctionError;
    printResult(
      target.short,
      {
        ok,
        payload,
        error: ok ? undefined : (payload as LambdaError),
        logs: out.LogResult ? Buffer.from(out.LogResult, 'base64').toString('utf8').split('\n') : [],
        requestId: out.$metadata.requestId ?? '',
        durationMs: performance.now() - t0,
      },
      root,
      print,
    );
    return ok ? 0 : 1;
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(
      `The local cloud on ${running.endpoint} (pid ${running.pid}) did not answer: ${(err as Error).message}. Is ${running.command ?? 'npm run dev'} still running? Stop it and start it again.`,
    );
  } finally {
    lambda.destroy();
  }
}

function parseEvent(data: string | undefined): unknown {
  if (data === undefined || data === '') return {};
  try {
    return JSON.parse(data);
  } catch (err) {
    throw new UsageError(
      `--data is not valid JSON (${(err as Error).message}).\nQuote it for your shell, with double quotes inside: --data '{"id":"abc"}'`,
    );
  }
}

function printResult(
  name: string,
  result: Pick<InvokeResult, 'ok' | 'payload' | 'error' | 'logs' | 'requestId' | 'durationMs'>,
  root: string,
  print: (text: string) => void,
): void {
  const logs = result.logs
    .map((line) => logLine(line, result.requestId))
    .filter((line) => line !== undefined);
  if (logs.length) {
    print(pc.bold('Logs'));
    for (const line of logs) print(`  ${line}`);
  }
  const took = pc.dim(`(${Math.round(result.durationMs)} ms)`);
  if (result.ok) {
    print(pc.green(`✔ ${name} returned`) + ` ${took}`);
    print(result.payload === undefined ? pc.dim('undefined') : JSON.stringify(result.payload, null, 2));
    return;
  }
  const error: LambdaError = result.error ?? { errorType: 'Error', errorMessage: 'unknown error' };
  print(pc.red(`✖ ${name} failed: ${error.errorType}: ${error.errorMessage}`) + ` ${took}`);
  for (const line of userFrames(error.trace ?? [], root)) print(pc.dim(`  ${line}`));
  print(`${pc.dim('hint:')} ${hintFor(error)}`);
}

/**
 * A CloudWatch-style line as a learner wants to read it: the request id (the same on every
 * line) dropped, and Lambda's own START/END/REPORT and "Invoke Error" lines left out, since
 * the result or the error is printed right after.
 */
function logLine(line: string, requestId: string): string | undefined {
  if (/^(START|END|REPORT) RequestId:/.test(line) || line.includes('\tInvoke Error \t')) return undefined;
  const [time, id, level, ...message] = line.split('\t');
  if (id !== requestId || !level) return line;
  const colour = level === 'ERROR' ? pc.red : level === 'WARN' ? pc.yellow : (s: string) => s;
  return `${pc.dim(time.slice(11, 23))} ${colour(level.padEnd(5))} ${message.join('\t')}`;
}

/** The first frames of the learner's own code, with paths from the repository root; the emulator's frames are noise. */
function userFrames(trace: string[], root: string): string[] {
  return trace
    .slice(1)
    .map((line) => line.trim())
    .filter((line) => line.startsWith('at ') && !/[\\/](emulator|node_modules)[\\/]|node:internal/.test(line))
    .slice(0, 5)
    .map((line) => line.split(`${root}/`).join(''));
}

/** What a learner should look at first, by the kind of error. */
export function hintFor(error: LambdaError): string {
  const { errorType: type, errorMessage: message } = error;
  if (/TODO \d+/.test(message)) return `a TODO is still open there: npm run hint shows what to do.`;
  if (type === 'Sandbox.Timedout')
    return 'it ran past its timeout: is it waiting for something that never comes? If it really needs longer, raise `timeout` in serverless.ts.';
  if (/AccessDenied/.test(type))
    return "its role does not allow that call: add the action, on that resource's ARN, to provider.iam.role.statements in serverless.ts.";
  if (type === 'ResourceNotFoundException')
    return 'a resource it names does not exist: check the environment variables it reads (serverless.ts `environment`, with { Ref: ... }).';
  if (/ImportModuleError|HandlerNotFound|UserCodeSyntaxError/.test(type))
    return "Lambda could not load the handler: check the function's `handler` path in serverless.ts and that the file exports it.";
  if (type === 'ValidationException')
    return 'the request to AWS was malformed: print what the handler sends (console.log), and compare with the API.';
  return 'the trace above shows where it threw; add console.log lines and invoke again.';
}

function printDeployError(err: Error & { output?: string }, print: (text: string) => void): void {
  print(pc.red(`✖ The service did not deploy: ${err.message}`));
  const tail = (err.output ?? '').trim().split('\n').slice(-15);
  if (tail.length && tail[0]) for (const line of tail) print(pc.dim(`  ${line}`));
  print(`${pc.dim('hint:')} npm run check shows the same problem with more detail.`);
}

function shown(root: string, dir: string): string {
  const rel = relative(root, dir).split('\\').join('/');
  return rel && !rel.startsWith('..') ? rel : dir;
}
