import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { packageOutputDir, realSleep } from '../../emulator/index.ts';
import { ApiGatewayV2Client, GetApisCommand } from '@aws-sdk/client-apigatewayv2';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, ListEventBusesCommand, ListRulesCommand } from '@aws-sdk/client-eventbridge';
import { InvokeCommand, LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';

/**
 * A learner's day against a real `npm run dev` (a child process), on a scratch copy of the
 * repository under .dojo/tmp/ (checker/ and emulator/ copied, so the CLI's repository root
 * is the scratch one; sessions/, solutions/ and node_modules/ linked, read only):
 * begin sessions 1 to 4, save every solution file (in place, and by rename as editors do),
 * a syntax error and its fix, a wrong file and its fix, an invoke, a kill -9 of the cloud
 * and a check afterwards. After each step the cloud, asked through the AWS SDK, has the
 * functions, rules and HTTP APIs of the template packaged from the files on disk.
 */
const SESSIONS = ['session-1', 'session-2', 'session-3', 'session-4'] as const;
const BUILD_OUTPUT = /(^|\/)(\.serverless|\.esbuild|node_modules|tests)(\/|$)/;
const sleep = realSleep;

const root = resolve('.dojo', 'tmp', `soak-${randomBytes(4).toString('hex')}`);
const backend = join(root, 'backend');
// As the npm scripts start it: built once, on the first command, into the scratch repository's .dojo/cli.
const cliArgs = [join(root, 'checker', 'bin', 'dojo.mjs')];
const env = Object.fromEntries(
  Object.entries({ ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' }).filter(
    ([k]) => !k.startsWith('VITEST') && !k.startsWith('AWS_'),
  ),
);

function makeScratchRepo(): void {
  mkdirSync(root, { recursive: true });
  for (const dir of ['checker', 'emulator']) cpSync(resolve(dir), join(root, dir), { recursive: true });
  for (const file of ['package.json', 'tsconfig.json']) cpSync(resolve(file), join(root, file));
  for (const link of ['sessions', 'solutions', 'node_modules'])
    symlinkSync(resolve(link), join(root, link), 'dir');
}

/** A CLI command in the scratch repository, run to its end. */
function cli(
  ...args: string[]
): Promise<{ code: number | null; out: string; lines: Array<{ at: number; text: string }> }> {
  const child = spawn(process.execPath, [...cliArgs, ...args], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Array<{ at: number; text: string }> = [];
  let out = '';
  const take = (d: Buffer) => {
    const text = stripVTControlCharacters(d.toString());
    out += text;
    for (const line of text.split('\n')) if (line) lines.push({ at: performance.now(), text: line });
  };
  child.stdout!.on('data', take);
  child.stderr!.on('data', take);
  return new Promise((done) => child.once('exit', (code) => done({ code, out, lines })));
}

/** The `npm run dev` child and everything it printed. */
class Dev {
  readonly child: ChildProcess;
  out = '';
  endpoint = '';
  constructor() {
    this.child = spawn(process.execPath, [...cliArgs, 'dev', '--port', '0'], {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const take = (d: Buffer) => (this.out += stripVTControlCharacters(d.toString()));
    this.child.stdout!.on('data', take);
    this.child.stderr!.on('data', take);
  }
  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }
  mark(): number {
    return this.out.length;
  }
  async until(pattern: RegExp, from: number, what: string, ms = 120_000): Promise<string> {
    const end = performance.now() + ms;
    for (;;) {
      const m = pattern.exec(this.out.slice(from));
      if (m) return m[0];
      if (!this.alive)
        throw new Error(
          `npm run dev stopped (${this.child.exitCode ?? this.child.signalCode}) while waiting for ${what}:\n${this.out.slice(-3000)}`,
        );
      if (performance.now() > end)
        throw new Error(`Timed out waiting for ${what}:\n${this.out.slice(from).slice(-3000)}`);
      await sleep(100);
    }
  }
  /** Every packaging started since `from` has ended (deployed or explained), and the watcher has been quiet a while. */
  async settled(from: number, what: string): Promise<string> {
    const end = performance.now() + 180_000;
    let last = this.out.length;
    let quietSince = performance.now();
    for (;;) {
      const text = this.out.slice(from);
      const started = count(text, /packaging and deploying again…/g);
      const ended =
        count(text, /^✔ deployed /gm) + count(text, /Fix it and save: the local cloud keeps running/g);
      if (this.out.length !== last) {
        last = this.out.length;
        if (/↻|✔ deployed|✖/.test(this.out.slice(last - 200))) quietSince = performance.now();
      }
      if (started === ended && performance.now() - quietSince > 2500) return text;
      if (!this.alive)
        throw new Error(`npm run dev stopped while waiting for ${what}:\n${this.out.slice(-3000)}`);
      if (performance.now() > end)
        throw new Error(`Timed out waiting for ${what} to deploy:\n${text.slice(-3000)}`);
      await sleep(200);
    }
  }
}

function count(text: string, pattern: RegExp): number {
  return text.match(pattern)?.length ?? 0;
}

/** The files of a folder a learner writes (build output and tests aside), relative. */
function serviceFiles(dir: string): string[] {
  const files: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const full = join(d, name);
      if (BUILD_OUTPUT.test(relative(dir, full))) continue;
      if (statSync(full).isDirectory()) walk(full);
      else files.push(relative(dir, full));
    }
  };
  walk(dir);
  return files;
}

describe("a learner's day with npm run dev running", () => {
  let dev: Dev;
  let clients: {
    lambda: LambdaClient;
    events: EventBridgeClient;
    apis: ApiGatewayV2Client;
    ddb: DynamoDBClient;
  };

  beforeAll(async () => {
    makeScratchRepo();
    expect((await cli('begin', 'session-1')).code).toBe(0);
    dev = new Dev();
    dev.endpoint = (
      await dev.until(/Local cloud on http:\/\/127\.0\.0\.1:\d+/, 0, 'the local cloud', 180_000)
    ).replace('Local cloud on ', '');
    const config = {
      endpoint: dev.endpoint,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    };
    clients = {
      lambda: new LambdaClient(config),
      events: new EventBridgeClient(config),
      apis: new ApiGatewayV2Client(config),
      ddb: new DynamoDBClient(config),
    };
  }, 240_000);

  afterAll(async () => {
    for (const c of Object.values(clients ?? {})) c.destroy();
    if (dev?.alive) {
      dev.child.kill('SIGINT');
      await new Promise((r) => dev.child.once('exit', r));
    }
    rmSync(root, { recursive: true, force: true });
  });

  /** What the cloud runs, asked through the AWS SDK, against the template osls packaged from backend/ as it is now. */
  async function expectCloudMatchesTemplate(step: string): Promise<void> {
    // Packagings are kept by content under the (scratch) repository's .dojo/package/, never in backend/.
    const packaged = join(
      root,
      '.dojo',
      'package',
      // Named as the kit names its packagings (stage, account, content); this root is the scratch one.
      basename(packageOutputDir(backend)),
      'cloudformation-template-update-stack.json',
    );
    const template = JSON.parse(readFileSync(packaged, 'utf8')) as {
      Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
    };
    const resources = Object.values(template.Resources);
    const ofType = (type: string) => resources.filter((r) => r.Type === type);

    const functions = (await clients.lambda.send(new ListFunctionsCommand({}))).Functions?.map(
      (f) => f.FunctionName,
    ).sort();
    expect(functions, `${step}: functions`).toEqual(
      ofType('AWS::Lambda::Function')
        .map((r) => r.Properties!.FunctionName)
        .sort(),
    );

    const buses = (await clients.events.send(new ListEventBusesCommand({}))).EventBuses ?? [];
    const rules: string[] = [];
    for (const bus of buses)
      for (const r of (await clients.events.send(new ListRulesCommand({ EventBusName: bus.Name }))).Rules ??
        [])
        rules.push(r.Name!);
    const wanted = ofType('AWS::Events::Rule');
    expect(rules.length, `${step}: rules (${rules.join(', ')})`).toBe(wanted.length);
    for (const name of wanted
      .map((r) => r.Properties?.Name)
      .filter((n): n is string => typeof n === 'string'))
      expect(rules, `${step}: rule ${name}`).toContain(name);

    const apis = (await clients.apis.send(new GetApisCommand({}))).Items ?? [];
    expect(apis.length, `${step}: HTTP APIs (${apis.map((a) => a.Name).join(', ')})`).toBe(
      ofType('AWS::ApiGatewayV2::Api').length,
    );
  }

  /** createVirus, invoked through the SDK, writes a virus into the table: the handler on disk is the one that runs. */
  async function expectCreateVirusWorks(step: string): Promise<string> {
    const fn = (await clients.lambda.send(new ListFunctionsCommand({})))
      .Functions!.map((f) => f.FunctionName!)
      .find((n) => n.endsWith('-createVirus'))!;
    const out = await clients.lambda.send(
      new InvokeCommand({ FunctionName: fn, Payload: Buffer.from('{}') }),
    );
    const payload = JSON.parse(Buffer.from(out.Payload!).toString()) as {
      id?: string;
      errorMessage?: string;
    };
    expect(out.FunctionError, `${step}: createVirus failed: ${payload.errorMessage}`).toBeUndefined();
    const tables = (await clients.ddb.send(new ScanCommand({ TableName: await virusTable() }))).Items ?? [];
    expect(
      tables.map((i) => i.id.S),
      `${step}: the virus in the table`,
    ).toContain(payload.id);
    return payload.id!;
  }

  async function virusTable(): Promise<string> {
    const { ListTablesCommand } = await import('@aws-sdk/client-dynamodb');
    const names = (await clients.ddb.send(new ListTablesCommand({}))).TableNames ?? [];
    return names.find((n) => /virus/i.test(n)) ?? names[0];
  }

  /** Saves each solution file that differs from backend/'s: every other one by rename over it, as editors do. */
  async function saveSolution(id: string): Promise<string[]> {
    const solution = resolve('solutions', id);
    const saved: string[] = [];
    for (const [i, file] of serviceFiles(solution).entries()) {
      const text = readFileSync(join(solution, file), 'utf8');
      const target = join(backend, file);
      if (existsSync(target) && readFileSync(target, 'utf8') === text) continue;
      mkdirSync(dirname(target), { recursive: true });
      if (i % 2) {
        writeFileSync(`${target}.swp-${i}`, text);
        renameSync(`${target}.swp-${i}`, target);
      } else writeFileSync(target, text);
      saved.push(file);
      await sleep(150); // a learner saving file after file: several batches, some during a deploy
    }
    return saved;
  }

  it(
    'follows begin, every save, mistakes and their fixes, an invoke, and a kill -9 followed by a check',
    { timeout: 600_000 },
    async () => {
      for (const [n, id] of SESSIONS.entries()) {
        if (n > 0) {
          const mark = dev.mark();
          // A script has no terminal to answer begin's question: --force (the work is saved first).
          expect((await cli('begin', id, '--force')).code, `begin ${id}`).toBe(0);
          // begin replaces what is inside backend/ (a terminal in it keeps working): many files change at once.
          await dev.until(
            /(backend\/ \(replaced\)|and \d+ more) changed: packaging and deploying again…/,
            mark,
            `${id}'s starter seen`,
          );
          expect(await dev.settled(mark, `${id}'s starter`)).toMatch(/✔ deployed /);
          await expectCloudMatchesTemplate(`${id} starter`);
        }

        const mark = dev.mark();
        const saved = await saveSolution(id);
        expect(saved.length, `${id}: files to save`).toBeGreaterThan(0);
        const text = await dev.settled(mark, `${id}'s solution`);
        // No save lost: the watcher's lines name (or count) at least every file saved.
        const seen = [...text.matchAll(/^↻ (\S+)(?: and (\d+) more)? changed/gm)].reduce(
          (sum, m) => sum + 1 + Number(m[2] ?? 0),
          0,
        );
        expect(
          seen,
          `${id}: saves seen of ${saved.length} (${saved.join(', ')}) in:\n${text}`,
        ).toBeGreaterThanOrEqual(saved.length);
        expect(text.slice(text.lastIndexOf('packaging and deploying again…'))).toMatch(/✔ deployed /);
        await expectCloudMatchesTemplate(`${id} solution`);
        await expectCreateVirusWorks(`${id} solution`);

        if (id === 'session-1') {
          // npm run invoke uses the running cloud: the virus it made is in the cloud's table.
          const r = await cli('invoke', 'createVirus');
          expect(r.code, r.out).toBe(0);
          expect(r.out).toContain(
            `… using the local cloud of npm run dev (pid ${dev.child.pid}) on ${dev.endpoint}`,
          );
          const virus = JSON.parse(r.out.slice(r.out.indexOf('{', r.out.indexOf('returned')))) as {
            id: string;
          };
          const items =
            (await clients.ddb.send(new ScanCommand({ TableName: await virusTable() }))).Items ?? [];
          expect(items.map((i) => i.id.S)).toContain(virus.id);
        }

        if (id === 'session-2') {
          // A syntax error in serverless.ts: explained, with where; the loop goes on; the fix deploys.
          const config = join(backend, 'serverless.ts');
          const good = readFileSync(config, 'utf8');
          let m = dev.mark();
          writeFileSync(config, good.replace('const config: AWS = {', 'const config: AWS = {{'));
          await dev.until(/Fix it and save/, m, 'the syntax error explained');
          expect(dev.out.slice(m)).toMatch(/✖ osls package failed .*\(at .*serverless\.ts:\d+\)/);
          m = dev.mark();
          writeFileSync(config, good);
          expect(await dev.settled(m, 'the fixed serverless.ts')).toMatch(/✔ deployed /);
          await expectCloudMatchesTemplate('session-2 after the syntax error was fixed');
        }

        if (id === 'session-3') {
          // A wrong handler file (an import that does not exist): the invocation fails, nothing crashes; the fix works at once.
          const handler = join(backend, 'functions', 'createVirus', 'handler.ts');
          const good = readFileSync(handler, 'utf8');
          let m = dev.mark();
          writeFileSync(
            handler,
            `import { nothing } from '../../lib/no-such-file.ts';\n${good}\nexport const unused = nothing;\n`,
          );
          await dev.until(
            /createVirus\/handler\.ts changed: the next invocation uses it/,
            m,
            'the wrong file seen',
          );
          const fn = (await clients.lambda.send(new ListFunctionsCommand({})))
            .Functions!.map((f) => f.FunctionName!)
            .find((f) => f.endsWith('-createVirus'))!;
          const broken = await clients.lambda.send(
            new InvokeCommand({ FunctionName: fn, Payload: Buffer.from('{}') }),
          );
          expect(broken.FunctionError).toBe('Unhandled');
          m = dev.mark();
          writeFileSync(handler, good);
          await dev.until(/createVirus\/handler\.ts changed: the next invocation uses it/, m, 'the fix seen');
          await expectCreateVirusWorks('session-3 after the wrong file was fixed');
        }
        expect(dev.alive, `npm run dev is still running after ${id}`).toBe(true);
      }
      expect(dev.out).not.toMatch(/Something went wrong|scandir|Emitted 'error' event/);

      // kill -9 while it packages: its lock stays behind, and so does its entry in .dojo/run/clouds/.
      const lock = join(backend, '.dojo-package.lock');
      const config = join(backend, 'serverless.ts');
      writeFileSync(config, `${readFileSync(config, 'utf8')}\n// one more save\n`);
      const end = performance.now() + 30_000;
      while (!existsSync(join(lock, 'owner.json'))) {
        if (performance.now() > end) throw new Error('npm run dev never took the packaging lock');
        await sleep(20);
      }
      dev.child.kill('SIGKILL');
      await new Promise((r) => dev.child.once('exit', r));
      expect(existsSync(lock)).toBe(true);

      const check = await cli('check', 'session-4', '--seed', '7');
      const packaging = check.lines.find((l) => l.text.includes('… package'));
      const tookOver = check.lines.find((l) => l.text.includes('took over the lock'));
      expect(tookOver?.text, check.out).toMatch(
        new RegExp(
          `^⚠ packaging backend/: took over the lock left by pid ${dev.child.pid} \\(npm run dev, started [\\d:]+\\), which is no longer running$`,
        ),
      );
      expect(tookOver!.at - packaging!.at, 'the stale lock is taken over, not waited for').toBeLessThan(1000);
      expect(check.code, check.out).toBe(0);
      expect(check.out).toContain('session-4 passes');
    },
  );
});
