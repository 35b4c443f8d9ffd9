import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { minimist } from 'zx';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { LocalCloud } from '../emulator/cloud.ts';
import { packageService } from '../emulator/stack/package.ts';
import { benchWaitingExecutions } from '../emulator/stepfunctions/bench.ts';
import { runCheck } from '../checker/core/pipeline.ts';
import { localTarget } from '../checker/core/local-target.ts';
import session4 from '../checker/sessions/session-4/index.ts';
import { runSuite as stepFunctionsConformance } from '../test/conformance/stepfunctions/runner.ts';

/**
 * `npm run bench`: the figures that matter, printed, never asserted (a noisy machine must
 * not fail a build). `npm run bench -- --only checker`, `-- --seeds 200` for the
 * false-failure run of the session-4 check.
 */
const argv = minimist(process.argv.slice(2), { string: ['only', 'seeds'] });
const only = argv.only ? String(argv.only).split(',') : undefined;
const rows: Array<[string, string]> = [];
const report = (name: string, value: string) => {
  rows.push([name, value]);
  console.log(`${name.padEnd(58)} ${value}`);
};
const realSetTimeout = globalThis.setTimeout;
const MINI = resolve('test/fixtures/mini-service');
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
    const [, readyMs] = await timed(() => cloud.deployTemplate(template, { serviceDir: MINI, stackName: 'mini-local' }));
    report('template to ready (mini service: table, 2 functions, HTTP API)', `${readyMs.toFixed(0)} ms`);
    const lambda = new LambdaClient(cloud.clientConfig());
    await lambda.send(new InvokeCommand({ FunctionName: 'mini-local-listViruses' }));
    const n = 300;
    const [, seqMs] = await timed(async () => {
      for (let i = 0; i < n; i++) await lambda.send(new InvokeCommand({ FunctionName: 'mini-local-listViruses' }));
    });
    report('Lambda invocations per second (warm, one at a time)', `${((n / seqMs) * 1000).toFixed(0)} /s`);
    const ddb = new DynamoDBClient(cloud.clientConfig());
    const table = cloud.stacks.get('mini-local')!.resources.get('VirusTable')!.physicalId;
    const m = 2000;
    const [, putMs] = await timed(async () => {
      let i = 0;
      await Promise.all(Array.from({ length: 8 }, async () => {
        while (i < m) await ddb.send(new PutItemCommand({ TableName: table, Item: { id: { S: `v${i++}` }, createdAt: { S: new Date().toISOString() } } }));
      }));
    });
    report('DynamoDB PutItem per second through the gateway (8 clients)', `${((m / putMs) * 1000).toFixed(0)} /s`);
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
    report('virtual seconds per real second, clock at max (1 timer/s)', `${((86_400 / dayMs) * 1000).toFixed(0)} (${ticks} timers)`);
  } finally {
    await clockCloud.stop();
  }
}

async function events(): Promise<void> {
  const cloud = await LocalCloud.start();
  try {
    await cloud.deployService(MINI);
    const eb = new EventBridgeClient(cloud.clientConfig());
    await eb.send(new PutRuleCommand({ Name: 'all', EventPattern: '{"source":["bench"]}' }));
    await eb.send(new PutTargetsCommand({ Rule: 'all', Targets: [{ Id: 'f', Arn: cloud.lambda.arnOf('mini-local-listViruses') }] }));
    const done = () => cloud.trace.find('invoke.end', (e) => e.function === 'mini-local-listViruses').length;
    // Warm the sandboxes first: cold starts are measured elsewhere.
    await eb.send(new PutEventsCommand({ Entries: Array.from({ length: 10 }, () => ({ Source: 'bench', DetailType: 'x', Detail: '{}' })) }));
    while (done() < 10) await new Promise((r) => realSetTimeout(r, 5));
    const total = 500;
    const base = done();
    const [, ms] = await timed(async () => {
      for (let i = 0; i < total / 10; i++) {
        await eb.send(new PutEventsCommand({ Entries: Array.from({ length: 10 }, () => ({ Source: 'bench', DetailType: 'x', Detail: '{}' })) }));
      }
      while (done() - base < total) await new Promise((r) => realSetTimeout(r, 5));
    });
    report('PutEvents entries per second delivered to a Lambda target', `${((total / ms) * 1000).toFixed(0)} /s`);
    eb.destroy();
  } finally {
    await cloud.stop();
  }
}

async function session4Shape(): Promise<void> {
  const cloud = await LocalCloud.start({ seed: 1 });
  try {
    await cloud.deployService(S4);
    await cloud.clock.advance(60_000); // cold starts out of the way
    const [, ms] = await timed(() => cloud.clock.advance(60 * 60_000));
    report('virtual minutes per real second, session-4 shape (3 executions/min)', `${((60 / ms) * 1000).toFixed(1)}`);
  } finally {
    await cloud.stop();
  }
}

async function waiting(): Promise<void> {
  const r = await benchWaitingExecutions(10_000);
  report('executions held in Wait states', `${r.executions} (started in ${r.startMs.toFixed(0)} ms)`);
  report('memory per waiting execution', `${r.perExecutionKb.toFixed(1)} KB (heap ${r.heapBeforeMb.toFixed(0)} → ${r.heapWaitingMb.toFixed(0)} MB)`);
}

async function checker(): Promise<void> {
  // Package included: forget the cached template first.
  rmSync(resolve(S4, '.serverless'), { recursive: true, force: true });
  const [r, ms] = await timed(() => runCheck(session4, { dir: S4, seed: 1, targetKind: 'local', makeTarget: () => localTarget({ seed: 1 }) }));
  const t = r.timings;
  report('full local check session-4 (package included), wall', `${(ms / 1000).toFixed(1)} s (${r.ok ? 'passes' : 'FAILS'})`);
  report('  split', `package ${(t.package / 1000).toFixed(1)} s, deploy ${(t.deploy / 1000).toFixed(1)} s, simulation ${(t.observe / 1000).toFixed(1)} s, teardown ${(t.teardown / 1000).toFixed(2)} s`);
  const [r2, ms2] = await timed(() => runCheck(session4, { dir: S4, seed: 2, targetKind: 'local', makeTarget: () => localTarget({ seed: 2 }) }));
  report('same check again, template cached', `${(ms2 / 1000).toFixed(1)} s (${r2.ok ? 'passes' : 'FAILS'})`);
}

async function seeds(n: number): Promise<void> {
  let failures = 0;
  const t0 = performance.now();
  for (let seed = 1000; seed < 1000 + n; seed++) {
    const r = await runCheck(session4, { dir: S4, seed, targetKind: 'local', makeTarget: () => localTarget({ seed }) });
    if (!r.ok) {
      failures++;
      console.log(`seed ${seed} FAILED: ${r.results.filter((x) => x.status === 'fail').map((x) => `${x.id}: ${x.observed}`).join('; ')}`);
    }
  }
  report(`checks of the session-4 solution with ${n} seeds`, `${failures} failures (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
}

/** The conformance suites: cases from AWS's docs and the specs, how many the local cloud passes. */
async function conformance(): Promise<void> {
  const results = await stepFunctionsConformance();
  const failed = results.filter((r) => !r.pass);
  report('Step Functions conformance (AWS docs, States Language spec)', `${results.length - failed.length}/${results.length} cases`);
  for (const f of failed) console.log(`  failed: ${f.name}: ${f.detail}`);
}

const sections: Record<string, () => Promise<void>> = { core, events, 'session4-shape': session4Shape, waiting, checker, conformance };
if (argv.seeds) await seeds(Number(argv.seeds));
else for (const [name, run] of Object.entries(sections)) if (!only || only.includes(name)) await run();
process.exit(0);
