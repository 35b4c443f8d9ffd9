/**
 * `npm run bench`: the figures that matter, printed, never asserted (a noisy machine must
 * not fail a build). `npm run bench -- --only packaging,checker`, `-- --seeds 200` for the
 * false-failure run of the session-4 check (and of its statistical draw test, the one
 * `--aws` uses: locally the exact probe decides); `-- --draws 200` for that statistical test alone;
 * `-- --only loop --loop-runs 3` for a quick look at the live loop; `-- --only cli,watch` for
 * the check's whole process and its --watch re-check (issue 19's goals).
 */
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { join, resolve } from 'node:path';
import { minimist } from 'zx';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import {
  EventBridgeClient,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import {
  benchWaitingExecutions,
  LocalCloud,
  packageOutputDir,
  packageService,
  realNow,
  realSleep,
  runOsls,
} from '../emulator/index.ts';
import { runCheck } from '../checker/core/pipeline.ts';
import { localTarget } from '../checker/core/local-target.ts';
import { benchLiveLoop } from './live-loop.ts';
import { benchRoom } from './room.ts';
import { benchDeploy } from './deploy.ts';
import { benchStreams } from './streams.ts';
import {
  bareServer,
  sdkRequestsPerSecond,
  type ClientLoad,
  type ClientRate,
  type SdkOp,
} from './sdk-clients.ts';
import { benchCli } from './cli.ts';
import { benchWatch } from './watch.ts';
import { judge as judgeSession4 } from '../checker/sessions/session-4/judge.ts';
import { SAMPLES } from '../checker/sessions/session-4/stats.ts';
import { loadSessionCheck } from '../checker/sessions/index.ts';
import { runSuite as stepFunctionsConformance } from '../test/conformance/stepfunctions/runner.ts';
import { runSuite as eventBridgeConformance } from '../test/conformance/eventbridge/runner.ts';
import { enableCompileCache } from '../checker/bin/compile-cache.mjs';

// The kit as the CLI runs it: the sandboxes (and osls, but for its baseline) use Node's code cache.
enableCompileCache();

const argv = minimist(process.argv.slice(2), { string: ['only', 'seeds', 'draws', 'loop-runs'] });
const only = argv.only ? String(argv.only).split(',') : undefined;
const rows: Array<[string, string]> = [];
const report = (name: string, value: string) => {
  rows.push([name, value]);
  console.log(`${name.padEnd(58)} ${value}`);
};
const MINI = resolve('test/fixtures/mini-service');
const session4 = await loadSessionCheck('session-4');
const S4 = resolve('solutions/session-4');

async function timed<T>(f: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const v = await f();
  return [v, performance.now() - t0];
}

async function core(): Promise<void> {
  const { template } = await packageService(MINI);
  const cloud = await LocalCloud.start();
  try {
    const [, readyMs] = await timed(() =>
      cloud.deployTemplate(template, { serviceDir: MINI, stackName: 'mini-local' }),
    );
    report('template to ready (mini service: table, 2 functions, HTTP API)', `${readyMs.toFixed(0)} ms`);
    const lambda = new LambdaClient(cloud.clientConfig());
    await lambda.send(new InvokeCommand({ FunctionName: 'mini-local-listViruses' }));
    const n = 300;
    const [, seqMs] = await timed(async () => {
      for (let i = 0; i < n; i++)
        await lambda.send(new InvokeCommand({ FunctionName: 'mini-local-listViruses' }));
    });
    report('Lambda invocations per second (warm, one at a time)', `${((n / seqMs) * 1000).toFixed(0)} /s`);
    const invoke: SdkOp = { op: 'invoke', params: { functionName: 'mini-local-listViruses' } };
    report(
      'Lambda Invoke per second, 4 SDK client processes, 4 in flight each',
      await besideBare(cloud, invoke, { clients: 4, inFlight: 4, requests: 250 }),
    );
    const ddb = new DynamoDBClient(cloud.clientConfig());
    const table = cloud.stacks.get('mini-local')!.resources.get('VirusTable')!.physicalId;
    const m = 2000;
    const [, putMs] = await timed(async () => {
      let i = 0;
      await Promise.all(
        Array.from({ length: 8 }, async () => {
          while (i < m)
            await ddb.send(
              new PutItemCommand({
                TableName: table,
                Item: { id: { S: `v${i++}` }, createdAt: { S: new Date().toISOString() } },
              }),
            );
        }),
      );
    });
    report(
      'DynamoDB PutItem per second through the gateway (8 clients)',
      `${((m / putMs) * 1000).toFixed(0)} /s`,
    );
    report(
      'DynamoDB PutItem per second, 8 SDK client processes, 1 each',
      await besideBare(
        cloud,
        { op: 'putItem', params: { table, prefix: 'bench' } },
        { clients: 8, inFlight: 1, requests: 250 },
      ),
    );
    lambda.destroy();
    ddb.destroy();
  } finally {
    await cloud.stop();
  }

  // The clock alone: one timer a virtual second for a virtual day.
  const clockCloud = await LocalCloud.start({ start: 0 });
  try {
    let ticks = 0;
    const id = setInterval(() => ticks++, 1000);
    const [, dayMs] = await timed(() => clockCloud.clock.advance(86_400_000));
    clearInterval(id);
    report(
      'virtual seconds per real second, clock at max (1 timer/s)',
      `${((86_400 / dayMs) * 1000).toFixed(0)} (${ticks} timers)`,
    );
  } finally {
    await clockCloud.stop();
  }
}

const perRequest = (r: ClientRate) =>
  `${r.perSecond.toFixed(0)} /s, local cloud CPU ${r.cpuUsPerRequest.toFixed(0)} µs each`;

/**
 * The same SDK clients against the local cloud and, in the same run, against a bare HTTP
 * server with a canned answer: what these clients reach on this machine at best.
 */
async function besideBare(cloud: LocalCloud, what: SdkOp, load: ClientLoad): Promise<string> {
  const bare = await bareServer(what.op);
  try {
    const ceiling = await sdkRequestsPerSecond(bare.url, cloud.region, what, load);
    const local = await sdkRequestsPerSecond(cloud.endpoint, cloud.region, what, load);
    return `${perRequest(local)} (bare HTTP server, same clients: ${ceiling.perSecond.toFixed(0)} /s)`;
  } finally {
    await bare.close();
  }
}

/**
 * A Lambda cold start as a check meets it: a function just registered, its first invocation
 * (bundling the TypeScript, starting the sandbox, loading the handler and its SDK, the call).
 * Next to it, in the same rounds, the floor: a bare worker thread importing the same SDK
 * packages and nothing else.
 */
async function coldStart(): Promise<void> {
  const cloud = await LocalCloud.start();
  const sandbox: number[] = [];
  const floor: number[] = [];
  try {
    for (let round = 0; round < 5; round++) {
      const name = `cold-${round}`;
      cloud.lambda.register({
        name,
        handler: 'functions/createVirus/handler.main',
        sourceFile: resolve(S4, 'functions/createVirus/handler.ts'),
        exportName: 'main',
        environment: { VIRUS_TABLE_NAME: 'bench-no-table' },
        timeout: 6,
        memorySize: 256,
      });
      sandbox.push((await timed(() => cloud.lambda.invoke(name, {})))[1]);
      floor.push(
        (await timed(() => importInBareWorker(['@aws-sdk/client-dynamodb', '@aws-sdk/lib-dynamodb'])))[1],
      );
    }
  } finally {
    await cloud.stop();
  }
  report(
    'Lambda cold start, session-4 createVirus (first invocation)',
    `${median(sandbox).toFixed(0)} ms (median of 5; a bare worker importing its SDK: ${median(floor).toFixed(0)} ms)`,
  );
}

function importInBareWorker(specifiers: string[]): Promise<void> {
  // A data: module resolves no package names: the imports are given as resolved file URLs.
  const code = `${specifiers.map((s) => `await import(${JSON.stringify(import.meta.resolve(s))});`).join('')}
(await import('node:worker_threads')).parentPort.postMessage('loaded');`;
  const worker = new Worker(new URL(`data:text/javascript,${encodeURIComponent(code)}`), { execArgv: [] });
  return new Promise((resolvePromise, reject) => {
    worker.once('message', () => void worker.terminate().then(() => resolvePromise()));
    worker.once('error', reject);
  });
}

/**
 * PutEvents entries delivered to a Lambda target: today's line (one client in the bench's
 * process, 10 entries a call, one call at a time, to listViruses, which Scans the table),
 * then 4 client processes at once to the same target, and to a no-op handler: the delivery
 * path without the handler's own DynamoDB round trip.
 */
async function events(): Promise<void> {
  const cloud = await LocalCloud.start();
  const dir = resolve('.dojo', 'tmp', `bench-events-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'noop.mjs'), 'export const main = async () => ({ ok: true });\n');
  try {
    await cloud.deployService(MINI);
    cloud.lambda.register({
      name: 'bench-noop',
      handler: 'noop.main',
      sourceFile: join(dir, 'noop.mjs'),
      exportName: 'main',
      environment: {},
      timeout: 6,
      memorySize: 256,
    });
    const eb = new EventBridgeClient(cloud.clientConfig());
    const ended = new Map<string, number>();
    cloud.trace.subscribe((e) => {
      if (e.kind === 'invoke.end') ended.set(e.function, (ended.get(e.function) ?? 0) + 1);
    });
    const endedOf = (fn: string) => ended.get(fn) ?? 0;
    // Real time: entries that reach no invocation (a target error) must not hang the bench.
    const until = async (fn: string, count: number) => {
      const giveUp = realNow() + 120_000;
      while (endedOf(fn) < count) {
        if (realNow() > giveUp) {
          const errors = cloud.trace.find('target.error').slice(-3);
          throw new Error(
            `Only ${endedOf(fn)} of ${count} invocations of ${fn} ended within 120 s. Last target errors: ${JSON.stringify(errors)}`,
          );
        }
        await realSleep(2);
      }
    };
    const entries = (source: string) =>
      Array.from({ length: 10 }, () => ({ Source: source, DetailType: 'x', Detail: '{}' }));
    for (const [source, fn] of [
      ['bench', 'mini-local-listViruses'],
      ['bench.noop', 'bench-noop'],
    ]) {
      await eb.send(new PutRuleCommand({ Name: fn, EventPattern: JSON.stringify({ source: [source] }) }));
      await eb.send(new PutTargetsCommand({ Rule: fn, Targets: [{ Id: 'f', Arn: cloud.lambda.arnOf(fn) }] }));
      // Warm the sandboxes first: cold starts are measured elsewhere.
      await eb.send(new PutEventsCommand({ Entries: entries(source) }));
      await until(fn, 10);
    }
    const total = 500;
    const base = endedOf('mini-local-listViruses');
    const [, ms] = await timed(async () => {
      for (let i = 0; i < total / 10; i++) await eb.send(new PutEventsCommand({ Entries: entries('bench') }));
      await until('mini-local-listViruses', base + total);
    });
    report(
      'PutEvents entries per second delivered to a Lambda target',
      `${((total / ms) * 1000).toFixed(0)} /s`,
    );
    const load: ClientLoad = { clients: 4, inFlight: 2, requests: 50 };
    const delivered = async (source: string, fn: string) => {
      const expected = endedOf(fn) + load.clients * load.requests * 10;
      const r = await sdkRequestsPerSecond(
        cloud.endpoint,
        cloud.region,
        { op: 'putEvents', params: { entries: 10, source } },
        load,
        () => until(fn, expected),
      );
      return `${(r.perSecond * 10).toFixed(0)} /s, local cloud CPU ${(r.cpuUsPerRequest / 10).toFixed(0)} µs each`;
    };
    // The clients' own ceiling: the same calls answered at once by a bare server.
    const bare = await bareServer('putEvents');
    const ceiling = await sdkRequestsPerSecond(
      bare.url,
      cloud.region,
      { op: 'putEvents', params: { entries: 10, source: 'bench' } },
      load,
    ).finally(() => bare.close());
    report(
      '  same, 4 SDK client processes, 2 calls in flight each',
      `${await delivered('bench', 'mini-local-listViruses')} (bare HTTP server, same clients: ${(ceiling.perSecond * 10).toFixed(0)} /s)`,
    );
    report('  same clients, to a no-op handler', await delivered('bench.noop', 'bench-noop'));
    eb.destroy();
  } finally {
    await cloud.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function session4Shape(): Promise<void> {
  const cloud = await LocalCloud.start({ seed: 1 });
  try {
    await cloud.deployService(S4);
    await cloud.clock.advance(60_000); // cold starts out of the way
    const [, ms] = await timed(() => cloud.clock.advance(60 * 60_000));
    report(
      'virtual minutes per real second, session-4 shape (3 executions/min)',
      `${((60 / ms) * 1000).toFixed(1)}`,
    );
  } finally {
    await cloud.stop();
  }
}

async function waiting(): Promise<void> {
  const r = await benchWaitingExecutions(10_000);
  report('executions held in Wait states', `${r.executions} (started in ${r.startMs.toFixed(0)} ms)`);
  report(
    'memory per waiting execution',
    `${r.perExecutionKb.toFixed(1)} KB (heap ${r.heapBeforeMb.toFixed(0)} → ${r.heapWaitingMb.toFixed(0)} MB)`,
  );
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function packaging(): Promise<void> {
  // A copy inside the repository (osls finds its plugins in the root node_modules), with a
  // configuration of its own, so that each local packaging below really runs osls.
  const dir = resolve('.dojo', 'tmp', `bench-package-${process.pid}`);
  cpSync(S4, dir, {
    recursive: true,
    filter: (src) => !/(^|\/)(\.serverless|\.esbuild|node_modules)$/.test(src),
  });
  const aws: number[] = [];
  const local: number[] = [];
  const uncachedValidator: number[] = [];
  const aslComputed: number[] = [];
  const packageLocally = async () => {
    rmSync(packageOutputDir(dir), { recursive: true, force: true });
    const [r, ms] = await timed(() => packageService(dir));
    if (r.cached) throw new Error('local packaging answered from its cache: the figure would mean nothing');
    return ms;
  };
  try {
    await packageLocally(); // osls's validator cached, asl-validator's verdicts kept (emulator/stack/osls-*.cjs)
    for (let round = 0; round < 3; round++) {
      // As --aws packages: the learner's serverless.ts with every plugin, serverless-esbuild included.
      const [, awsMs] = await timed(() =>
        runOsls(dir, ['package', '--stage', 'local', '--package', join(dir, '.bench-out')]),
      );
      aws.push(awsMs);
      local.push(await packageLocally());
      process.env.DOJO_OSLS_VALIDATOR_CACHE = '0';
      uncachedValidator.push(
        await packageLocally().finally(() => delete process.env.DOJO_OSLS_VALIDATOR_CACHE),
      );
      process.env.DOJO_OSLS_ASL_VERDICTS = '0';
      aslComputed.push(await packageLocally().finally(() => delete process.env.DOJO_OSLS_ASL_VERDICTS));
    }
  } finally {
    rmSync(packageOutputDir(dir), { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  }
  report(
    'osls package session-4, with serverless-esbuild (for AWS)',
    `${(median(aws) / 1000).toFixed(1)} s (median of 3)`,
  );
  report(
    'local packaging (dojo), same folder, same run',
    `${(median(local) / 1000).toFixed(1)} s (median of 3, ${(median(local) / median(aws)).toFixed(2)}×; osls's validator compiled from source: ${(median(uncachedValidator) / 1000).toFixed(1)} s; asl-validator's verdicts computed: ${(median(aslComputed) / 1000).toFixed(1)} s)`,
  );
}

async function checker(): Promise<void> {
  // Package included: forget the cached template first.
  rmSync(packageOutputDir(S4), { recursive: true, force: true });
  const [r, ms] = await timed(() =>
    runCheck(session4, { dir: S4, seed: 1, targetKind: 'local', makeTarget: () => localTarget({ seed: 1 }) }),
  );
  const t = r.timings;
  report(
    'full local check session-4 (package included), wall',
    `${(ms / 1000).toFixed(1)} s (${r.ok ? 'passes' : 'FAILS'})`,
  );
  report(
    '  split',
    `package ${(t.package / 1000).toFixed(1)} s, deploy ${(t.deploy / 1000).toFixed(1)} s, simulation ${(t.observe / 1000).toFixed(1)} s, teardown ${(t.teardown / 1000).toFixed(2)} s`,
  );
  const [r2, ms2] = await timed(() =>
    runCheck(session4, { dir: S4, seed: 2, targetKind: 'local', makeTarget: () => localTarget({ seed: 2 }) }),
  );
  report('same check again, template cached', `${(ms2 / 1000).toFixed(1)} s (${r2.ok ? 'passes' : 'FAILS'})`);
}

/** The CLI as a learner runs it, whole processes: the issue's goals are ratios to osls package alone. */
async function cli(): Promise<void> {
  const r = await benchCli();
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const ratio = (ms: number) => `${(ms / r.oslsMs).toFixed(2)}× osls package`;
  report(`osls package session-4 alone (median of ${r.rounds})`, s(r.oslsMs));
  report(
    'npm run check session-4, warm (nothing changed), whole process',
    `${s(r.warmMs)} (${ratio(r.warmMs)}; the sources through tsx: ${s(r.warmTsxMs)}, ${ratio(r.warmTsxMs)}; no code cache: ${s(r.warmUncachedMs)}, ${ratio(r.warmUncachedMs)})`,
  );
  report(
    'npm run check session-4, cold (serverless.ts changed)',
    `${s(r.coldMs)} (${ratio(r.coldMs)}; no code cache: ${s(r.coldUncachedMs)}, ${ratio(r.coldUncachedMs)})`,
  );
}

async function watch(): Promise<void> {
  const r = await benchWatch(session4);
  report(
    `check session-4 --watch: a handler saved → its report (median of ${r.rounds})`,
    `${(r.pooledMs / 1000).toFixed(2)} s (every sandbox booting its own: ${(r.unpooledMs / 1000).toFixed(2)} s)`,
  );
}

async function seeds(n: number): Promise<void> {
  let failures = 0;
  const t0 = performance.now();
  for (let seed = 1000; seed < 1000 + n; seed++) {
    const r = await runCheck(session4, {
      dir: S4,
      seed,
      targetKind: 'local',
      makeTarget: () => localTarget({ seed }),
    });
    if (!r.ok) {
      failures++;
      console.log(
        `seed ${seed} FAILED: ${r.results
          .filter((x) => x.status === 'fail')
          .map((x) => `${x.id}: ${x.observed}`)
          .join('; ')}`,
      );
    }
    // A long run on a busy machine: say how far it got.
    if ((seed - 999) % 10 === 0)
      console.log(
        `  … ${seed - 999} checks, ${failures} failures, ${((performance.now() - t0) / 1000).toFixed(0)} s`,
      );
  }
  report(
    `checks of the session-4 solution with ${n} seeds`,
    `${failures} failures (${((performance.now() - t0) / 1000).toFixed(0)} s)`,
  );
  await drawStatistics(n);
}

/**
 * The statistical draw test (what --aws judges by) n times on the solution's ChooseWaitTime,
 * each time on SAMPLES fresh draws of its sandbox, and n times on the Math.round bias.
 */
async function drawStatistics(n: number): Promise<void> {
  const cloud = await LocalCloud.start({ seed: 1 });
  const dir = resolve('.dojo', 'tmp', `bench-draw-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const biased = join(dir, 'round.ts');
  writeFileSync(
    biased,
    'export const main = async () => ({ numberOfSeconds: Math.round(Math.random() * 59) + 1 });\n',
  );
  try {
    const fn = (name: string, sourceFile: string) =>
      cloud.lambda.register({
        name,
        handler: 'handler.main',
        sourceFile,
        exportName: 'main',
        environment: {},
        timeout: 6,
        memorySize: 256,
      });
    fn('fair', resolve(S4, 'functions/chooseWaitTime/handler.ts'));
    fn('round', biased);
    const verdicts = async (name: string) => {
      let failed = 0;
      for (let i = 0; i < n; i++) {
        const answers = await cloud.lambda.probe(name, {}, new Array<null>(SAMPLES).fill(null));
        const draws = answers.map((a) => (a.value as { numberOfSeconds?: unknown } | null)?.numberOfSeconds);
        const o = {
          target: 'aws' as const,
          windowStart: 0,
          windowEnd: 0,
          executions: [],
          virusIdsFromAnyExecution: [],
          viruses: [],
          samples: [],
          sampleDurationsMs: [1],
          sampleErrors: [],
          draw: { mode: 'statistics' as const, draws },
        };
        if (judgeSession4(o, 4).find((r) => r.id === 's4.random')?.status !== 'pass') failed++;
      }
      return failed;
    };
    const t0 = performance.now();
    const fair = await verdicts('fair');
    const round = await verdicts('round');
    report(
      `statistical draw test (--aws), solution, ${n} × ${SAMPLES} draws`,
      `${fair} failures (bound 7.4e-7 per check)`,
    );
    report(
      `statistical draw test (--aws), Math.round(r * 59) + 1, ${n} × ${SAMPLES}`,
      `${round} of ${n} caught (${((performance.now() - t0) / 1000).toFixed(0)} s both)`,
    );
  } finally {
    await cloud.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function room(): Promise<void> {
  const r = await benchRoom();
  report(
    `room: check reports per second (${r.learners} learners, ${r.reports} reports)`,
    `${r.roomPerSecond.toFixed(0)} /s (bare Node HTTP server, same requests: ${r.barePerSecond.toFixed(0)} /s)`,
  );
}

async function loop(): Promise<void> {
  const r = await benchLiveLoop(Number(argv['loop-runs'] ?? 10));
  report(
    `npm run dev: save a handler → next invocation runs it (median of ${r.runs})`,
    `${(r.handlerMs / 1000).toFixed(2)} s`,
  );
  report(
    `npm run dev: save serverless.ts → deployed (median of ${r.runs})`,
    `${(r.configMs / 1000).toFixed(2)} s (osls package alone: ${(r.packageMs / 1000).toFixed(2)} s)`,
  );
}

/** The conformance suites: cases from AWS's docs and the specs, how many the local cloud passes. */
async function conformance(): Promise<void> {
  const suites: Array<[string, () => Promise<Array<{ name: string; pass: boolean; detail?: string }>>]> = [
    ['Step Functions conformance (AWS docs, States Language spec)', stepFunctionsConformance],
    ['EventBridge conformance (answers recorded on AWS)', eventBridgeConformance],
  ];
  for (const [label, run] of suites) {
    const results = await run();
    const failed = results.filter((r) => !r.pass);
    report(label, `${results.length - failed.length}/${results.length} cases`);
    for (const f of failed) console.log(`  failed: ${f.name}: ${f.detail}`);
  }
}

const sections: Record<string, () => Promise<void>> = {
  core,
  coldstart: coldStart,
  events,
  'session4-shape': session4Shape,
  waiting,
  packaging,
  deploy: () => benchDeploy(report),
  streams: () => benchStreams(report),
  checker,
  cli,
  watch,
  loop,
  room,
  conformance,
};
if (argv.seeds) await seeds(Number(argv.seeds));
else if (argv.draws) await drawStatistics(Number(argv.draws));
else for (const [name, run] of Object.entries(sections)) if (!only || only.includes(name)) await run();
process.exit(0);
