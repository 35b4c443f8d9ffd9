/**
 * Runs inside a worker thread: one Lambda execution environment. It boots without knowing
 * its function, waits for the `init` message (which function, its environment, its clock),
 * then loads the handler once (cold start) and serves invocations one at a time, like
 * Lambda does. Booting first and learning the function later is what lets a pool keep
 * sandboxes booted ahead of need (sandbox-pool.ts): nothing of a function is in one before
 * its init.
 */
import nodeModule, { createRequire } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { format } from 'node:util';
import { getHeapStatistics } from 'node:v8';
import type {
  FromSandbox,
  InitRequest,
  InvokeRequest,
  LambdaError,
  ProbeAnswer,
  ProbeRequest,
  SandboxInit,
  ToSandbox,
} from './sandbox-protocol.ts';
import { installVirtualTime, type SandboxTime } from './sandbox-time.ts';
import { mulberry32 } from '../core/random.ts';
import { createSdkCallTracker } from './sandbox-sdk-calls.ts';
import { routeAwsEndpoints } from './sandbox-endpoints.ts';
import { loadedProvidedPackages, preloadProvidedPackages, providedClients } from './runtime-modules.ts';
import { resolveAsLambda } from './sandbox-resolve.ts';

const port = parentPort!;
const post = (m: FromSandbox) => port.postMessage(m);

let init!: SandboxInit;
let time!: SandboxTime;
let currentRequestId: string | undefined;
/** True while a randomness probe runs: its thousands of runs log nothing and call nothing home. */
let probing = false;
const sdkCalls = createSdkCallTracker(() => (probing ? undefined : currentRequestId));
let handlerPromise: Promise<(event: unknown, context: unknown) => unknown> | undefined;

for (const level of ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const) {
  console[level] = (...args: unknown[]) => {
    if (!probing)
      post({
        t: 'log',
        requestId: currentRequestId,
        level: level === 'log' ? 'INFO' : level.toUpperCase(),
        message: format(...args),
      });
  };
}

/** The function this sandbox is for: its environment, resolution, clock and seed, then its handler. */
function start(msg: InitRequest): void {
  init = msg.init;
  // The function's environment, exactly: what the worker booted with and the function does
  // not set goes. A value already right is left alone (setting TZ makes Node re-read it).
  for (const key of Object.keys(process.env)) if (!(key in msg.env)) delete process.env[key];
  for (const [key, value] of Object.entries(msg.env))
    if (process.env[key] !== value) process.env[key] = value;
  resolveAsLambda(init);
  if (init.seed !== undefined) Math.random = mulberry32(init.seed);
  time = installVirtualTime(init.shared, post);
  // Init phase, as in Lambda: the handler module loads when the sandbox starts, before any
  // invocation, so its cost never counts against the function's timeout. A failed load is
  // reported by each invocation (Runtime.ImportModuleError, ...), like Lambda does.
  handlerPromise = loadHandler();
  const ready = () => post({ t: 'ready', packages: loadedProvidedPackages() });
  handlerPromise.then(ready, ready);
}

port.on('message', (msg: ToSandbox) => {
  if (msg.t === 'init') start(msg);
  else if (msg.t === 'fire') time.fire(msg.id);
  else if (msg.t === 'invoke') void invoke(msg);
  else if (msg.t === 'probe') void probe(msg);
});

type Handler = (...args: unknown[]) => unknown;

interface Context {
  awsRequestId: string;
  callbackWaitsForEmptyEventLoop: boolean;
  [key: string]: unknown;
}

function contextFor(requestId: string, deadline: number): Context {
  return {
    awsRequestId: requestId,
    functionName: init.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: init.functionArn,
    memoryLimitInMB: String(init.memorySize),
    logGroupName: `/aws/lambda/${init.functionName}`,
    logStreamName: init.logStreamName,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
}

/**
 * Posts an invocation's answer, ending the invocation's time first: the timers the handler left
 * running (sandbox-time.ts tells long ones late) reach the main thread before the answer does,
 * so a clock moved as soon as the answer is in still fires them.
 */
function answer(message: FromSandbox): void {
  time.endInvocation();
  post(message);
  keepCompiled();
}

let compiledKept = false;
/**
 * Once, after the first answer: what this sandbox compiled (the handler, the SDK and the
 * parts of it a first call loads) goes to the process's code cache, if it has one
 * (sandbox-bootstrap.mjs). A sandbox is ended by terminating its thread, which writes none.
 */
function keepCompiled(): void {
  if (compiledKept) return;
  compiledKept = true;
  nodeModule.flushCompileCache?.(); // Node 22.10 and later
}

async function invoke(req: InvokeRequest): Promise<void> {
  currentRequestId = req.requestId;
  time.beginInvocation();
  try {
    const handler = await loadedHandler();
    const value = await callHandler(handler, req.event, contextFor(req.requestId, req.deadline));
    // What the handler left running: on AWS the sandbox freezes now, and those calls with it.
    const unawaited = sdkCalls.inFlight(req.requestId);
    answer({
      t: 'result',
      requestId: req.requestId,
      ok: true,
      value: value === undefined ? null : value,
      ...(unawaited.length ? { unawaited } : {}),
      memoryUsedMb: memoryUsedMb(),
    });
  } catch (err) {
    const unawaited = sdkCalls.inFlight(req.requestId);
    answer({
      t: 'result',
      requestId: req.requestId,
      ok: false,
      error: toLambdaError(err),
      ...(unawaited.length ? { unawaited } : {}),
      memoryUsedMb: memoryUsedMb(),
    });
  } finally {
    time.endInvocation();
  }
}

/** This sandbox's heap in use (its V8 isolate: the handler's memory, not the whole process's). */
function memoryUsedMb(): number {
  return Math.ceil(getHeapStatistics().used_heap_size / 1024 / 1024);
}

let instrumented = false;

async function loadedHandler(): Promise<Handler> {
  handlerPromise ??= loadHandler();
  const handler = await handlerPromise;
  // Once, after the load: the SDK the handler imported is in the module cache by now.
  if (!instrumented) {
    routeAwsEndpoints(init.sourceFile, init.endpoint);
    sdkCalls.instrument(init.sourceFile);
  }
  instrumented = true;
  return handler as Handler;
}

function callHandler(handler: Handler, event: unknown, context: Context): Promise<unknown> {
  // Callback-style handlers (event, context, callback) still exist in learners' code.
  if (handler.length >= 3) {
    return new Promise((resolve, reject) => {
      const maybe = handler(event, context, (err: unknown, value: unknown) => {
        // Lambda answers a callback once the event loop is empty, unless the handler set
        // callbackWaitsForEmptyEventLoop to false: its AWS calls do complete, so wait for them.
        // https://docs.aws.amazon.com/lambda/latest/dg/nodejs-context.html
        const wait = context.callbackWaitsForEmptyEventLoop
          ? sdkCalls.settled(context.awsRequestId)
          : Promise.resolve();
        void wait.then(() => (err ? reject(err) : resolve(value)));
      });
      if (maybe && typeof (maybe as Promise<unknown>).then === 'function')
        (maybe as Promise<unknown>).then(resolve, reject);
    });
  }
  return Promise.resolve().then(() => handler(event, context));
}

/** Runs the handler once per input with a chosen Math.random (see ProbeRequest). */
async function probe(req: ProbeRequest): Promise<void> {
  currentRequestId = req.requestId;
  time.beginInvocation();
  const own = Math.random;
  const answers: ProbeAnswer[] = [];
  probing = true;
  try {
    const handler = await loadedHandler();
    for (const input of req.inputs) {
      let calls = 0;
      Math.random = () => (++calls === 1 && input !== null ? input : own());
      try {
        const value = await callHandler(handler, req.event, contextFor(req.requestId, Infinity));
        answers.push({ calls, ok: true, value: value === undefined ? null : value });
      } catch (err) {
        answers.push({ calls, ok: false, error: toLambdaError(err).errorMessage });
      }
    }
    answer({ t: 'probed', requestId: req.requestId, answers });
  } catch (err) {
    answer({ t: 'result', requestId: req.requestId, ok: false, error: toLambdaError(err) });
  } finally {
    Math.random = own;
    probing = false;
    time.endInvocation();
  }
}

const requireHere = createRequire(import.meta.url);

async function loadHandler(): Promise<(event: unknown, context: unknown) => unknown> {
  if (init.bundleError) throw runtimeError(init.bundleError.errorType, init.bundleError.errorMessage);
  if (!existsSync(init.sourceFile)) {
    throw runtimeError(
      'Runtime.ImportModuleError',
      `Error: Cannot find module '${init.handler.replace(/\.[^.]+$/, '')}'. The handler "${init.handler}" points at ${init.sourceFile}, which does not exist: check the handler path in serverless.ts.`,
    );
  }
  let mod: Record<string, unknown>;
  try {
    const file = init.bundleFile ?? init.sourceFile;
    // CommonJS is required, as Lambda's runtime loads a CommonJS handler: through import(), its
    // own requires would pass through the ES module loader, which scans each package they
    // load (the SDK's large entry files) for export names, even ones already loaded.
    mod = file.endsWith('.cjs') ? requireHere(file) : await import(pathToFileURL(file).href);
  } catch (err) {
    const e = err as Error;
    const syntax = e.name === 'SyntaxError';
    throw runtimeError(
      syntax ? 'Runtime.UserCodeSyntaxError' : 'Runtime.ImportModuleError',
      `${e.name}: ${e.message}${missingSdkHint(e.message)}`,
      e.stack,
    );
  }
  const fn = mod[init.exportName] ?? (mod.default as Record<string, unknown> | undefined)?.[init.exportName];
  if (typeof fn !== 'function') {
    throw runtimeError(
      'Runtime.HandlerNotFound',
      `${init.handler.split('/').pop()} is undefined or not exported. ${init.sourceFile} must export a function named "${init.exportName}".`,
    );
  }
  return fn as (event: unknown, context: unknown) => unknown;
}

/** An SDK package neither the project nor the runtime has: say which ones the runtime has. */
function missingSdkHint(message: string): string {
  const name = /Cannot find (?:module|package) '(@aws-sdk\/[^/']+)/.exec(message)?.[1];
  if (!name) return '';
  return ` The local cloud's Lambda runtime provides the AWS SDK v3 clients the kit installs (${providedClients().join(', ')}), and ${name} is not among them: add it to your project (npm install ${name}).`;
}

function runtimeError(errorType: string, errorMessage: string, stack?: string): Error {
  const e = new Error(errorMessage);
  e.name = errorType;
  if (stack) e.stack = stack;
  return e;
}

function toLambdaError(err: unknown): LambdaError {
  if (err instanceof Error) {
    const trace = (err.stack ?? `${err.name}: ${err.message}`).split('\n');
    return { errorType: err.name || 'Error', errorMessage: err.message, trace };
  }
  return {
    errorType: typeof err === 'string' ? 'string' : 'Error',
    errorMessage: typeof err === 'string' ? err : JSON.stringify(err),
  };
}

process.on('unhandledRejection', (reason) => {
  const error = toLambdaError(reason);
  post({
    t: 'log',
    requestId: currentRequestId,
    level: 'ERROR',
    message: `Unhandled Promise Rejection\t${JSON.stringify(error)}`,
  });
});

// A pool's booted sandbox may load ahead the provided packages (the AWS SDK) that sandboxes
// of its kind loaded before: the runtime's, never a module of the learner (sandbox-pool.ts).
preloadProvidedPackages((workerData as { preload?: string[] }).preload ?? []);
post({ t: 'booted' });
