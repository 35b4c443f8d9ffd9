import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { LocalCloud } from '../../emulator/cloud.ts';
import { functionsTemplate, tempService, waitFor } from '../support/temp-service.ts';
import { realSleep } from '../../emulator/index.ts';

// Handlers a learner might write, good and bad; the local cloud must survive all of them.
const service = tempService({
  'functions/ok.ts': `export const main = async (event: { n: number }, context: { awsRequestId: string; getRemainingTimeInMillis(): number }) => {
    console.log('hello', event.n);
    return { n: event.n + 1, requestId: context.awsRequestId, now: new Date().toISOString(), remaining: context.getRemainingTimeInMillis(), region: process.env.AWS_REGION, table: process.env.TABLE };
  };`,
  'functions/sleeps.ts': `export const main = async () => { const t0 = Date.now(); await new Promise((r) => setTimeout(r, 10 * 60_000)); return { slept: Date.now() - t0 }; };`,
  'functions/throws.ts': `class VirusError extends Error { name = 'VirusError'; }\nexport const main = async () => { throw new VirusError('the virus escaped'); };`,
  'functions/hangs.ts': `export const main = async () => { while (true) { /* spin */ } };`,
  'functions/never.ts': `export const main = () => new Promise(() => {});`,
  'functions/exits.ts': `export const main = async () => { process.exit(3); };`,
  'functions/noexport.ts': `export const other = async () => 1;`,
  'functions/syntax.ts': `export const main = async () => { return {; };`,
  'functions/leaks.ts': `export const main = async () => { Promise.reject(new Error('forgotten')); setTimeout(() => console.log('later'), 5000); return 'done'; };`,
  'functions/counter.ts': `let n = 0; export const main = async () => ({ n: ++n, version: 1 });`,
});

const template = functionsTemplate({
  ok: { handler: 'functions/ok.main', env: { TABLE: 'viruses' } },
  sleeps: { handler: 'functions/sleeps.main', timeout: 900 },
  throws: { handler: 'functions/throws.main' },
  hangs: { handler: 'functions/hangs.main', timeout: 1 },
  never: { handler: 'functions/never.main', timeout: 2 },
  exits: { handler: 'functions/exits.main' },
  noexport: { handler: 'functions/noexport.main' },
  syntax: { handler: 'functions/syntax.main' },
  missing: { handler: 'functions/missing.main' },
  leaks: { handler: 'functions/leaks.main' },
  counter: { handler: 'functions/counter.main' },
});

describe('Lambda sandboxes', () => {
  let cloud: LocalCloud;
  let lambda: LambdaClient;
  const START = Date.UTC(2030, 0, 1, 12, 0, 0);

  const invoke = async (name: string, payload: unknown = {}) => {
    const out = await lambda.send(
      new InvokeCommand({
        FunctionName: `test-local-${name}`,
        Payload: Buffer.from(JSON.stringify(payload)),
        LogType: 'Tail',
      }),
    );
    return {
      error: out.FunctionError,
      payload: JSON.parse(Buffer.from(out.Payload ?? []).toString() || 'null'),
      logs: Buffer.from(out.LogResult ?? '', 'base64').toString(),
    };
  };

  beforeAll(async () => {
    cloud = await LocalCloud.start({ start: START });
    await cloud.deployTemplate(template, { serviceDir: service.dir, stackName: 'test-local' });
    lambda = new LambdaClient(cloud.clientConfig());
  });
  afterAll(async () => {
    lambda?.destroy();
    await cloud?.stop();
    service.remove();
  });

  it('gives the handler a Lambda context, its environment and virtual time', async () => {
    const { error, payload, logs } = await invoke('ok', { n: 41 });
    expect(error).toBeUndefined();
    expect(payload.n).toBe(42);
    expect(payload.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(payload.region).toBe('eu-west-1');
    expect(payload.table).toBe('viruses');
    expect(Date.parse(payload.now)).toBeGreaterThanOrEqual(START);
    expect(Date.parse(payload.now)).toBeLessThan(START + 60_000);
    expect(payload.remaining).toBeGreaterThan(2000);
    expect(logs).toContain(`START RequestId: ${payload.requestId}`);
    expect(logs).toContain(`${payload.requestId}\tINFO\thello 41`);
  });

  it('reuses a warm sandbox', async () => {
    const first = await invoke('counter');
    const second = await invoke('counter');
    expect(second.payload.n).toBe(first.payload.n + 1);
  });

  it('runs a 10-minute setTimeout in a handler on virtual time', async () => {
    const started = performance.now();
    const run = invoke('sleeps');
    // The SDK call reaches the gateway a few real ms later: advance once it has started.
    await waitFor(
      () => cloud.trace.find('invoke.start', (e) => e.function === 'test-local-sleeps').length > 0,
      'the invocation to start',
    );
    const before = cloud.clock.now();
    await cloud.clock.advance(11 * 60_000);
    const { payload } = await run;
    expect(payload, JSON.stringify(payload)).toHaveProperty('slept');
    expect(payload.slept).toBeGreaterThanOrEqual(10 * 60_000);
    expect(cloud.clock.now() - before).toBeGreaterThanOrEqual(10 * 60_000);
    expect(performance.now() - started).toBeLessThan(30_000);
  });

  it('reports a thrown error in Lambda shape', async () => {
    const { error, payload } = await invoke('throws');
    expect(error).toBe('Unhandled');
    expect(payload).toMatchObject({ errorType: 'VirusError', errorMessage: 'the virus escaped' });
    expect(payload.trace[0]).toContain('VirusError: the virus escaped');
  });

  it('times out a handler that spins, like Lambda', async () => {
    const { error, payload } = await invoke('hangs');
    expect(error).toBe('Unhandled');
    expect(payload.errorType).toBe('Sandbox.Timedout');
    expect(payload.errorMessage).toMatch(/Task timed out after 1\.00 seconds$/);
  });

  it('times out a handler whose promise never settles', async () => {
    const { payload } = await invoke('never');
    expect(payload.errorMessage).toMatch(/Task timed out after 2\.00 seconds$/);
  });

  it('survives process.exit in a handler', async () => {
    const { payload } = await invoke('exits');
    expect(payload.errorType).toBe('Runtime.ExitError');
    expect(payload.errorMessage).toContain('Runtime exited with error: exit status 3');
    expect((await invoke('ok', { n: 1 })).payload.n).toBe(2);
  });

  it('names the file when the export is missing, the file is missing or the code does not compile', async () => {
    const noexport = await invoke('noexport');
    expect(noexport.payload.errorType).toBe('Runtime.HandlerNotFound');
    expect(noexport.payload.errorMessage).toContain(
      'functions/noexport.ts must export a function named "main"',
    );
    const missing = await invoke('missing');
    expect(missing.payload.errorType).toBe('Runtime.ImportModuleError');
    expect(missing.payload.errorMessage).toContain('functions/missing.ts');
    const syntax = await invoke('syntax');
    expect(syntax.payload.errorType).toBe('Runtime.UserCodeSyntaxError');
    expect(syntax.payload.errorMessage).toContain('syntax.ts');
  });

  it('returns even when the handler leaks promises and timers', async () => {
    const { error, payload } = await invoke('leaks');
    expect(error).toBeUndefined();
    expect(payload).toBe('done');
  });

  it('gives a changed handler file a fresh sandbox', async () => {
    expect((await invoke('counter')).payload.version).toBe(1);
    service.write(
      'functions/counter.ts',
      'let n = 0; export const main = async () => ({ n: ++n, version: 2 });',
    );
    await realSleep(300);
    expect((await invoke('counter')).payload).toEqual({ n: 1, version: 2 });
  });
});

describe('Lambda init phase', () => {
  const svc = tempService({
    'functions/slowInit.ts': `const t0 = Date.now(); while (Date.now() - t0 < 1500) { /* heavy module top */ }\nexport const main = async () => 'ready';`,
    'functions/stuckInit.ts': `await new Promise(() => {});\nexport const main = async () => 'never';`,
  });
  let cloud: LocalCloud;
  let lambda: LambdaClient;
  beforeAll(async () => {
    // A quiet machine, whatever the test suite's load: the limit is AWS's 10 s, not stretched.
    cloud = await LocalCloud.start({ machineLoad: () => 0 });
    await cloud.deployTemplate(
      functionsTemplate({
        slowInit: { handler: 'functions/slowInit.main', timeout: 1 },
        stuckInit: { handler: 'functions/stuckInit.main', timeout: 1 },
      }),
      { serviceDir: svc.dir, stackName: 'test-local' },
    );
    lambda = new LambdaClient(cloud.clientConfig());
  });
  afterAll(async () => {
    lambda?.destroy();
    await cloud?.stop();
    svc.remove();
  });

  it('does not count a slow cold start against the function timeout', async () => {
    const out = await lambda.send(new InvokeCommand({ FunctionName: 'test-local-slowInit' }));
    expect(out.FunctionError).toBeUndefined();
    expect(JSON.parse(Buffer.from(out.Payload!).toString())).toBe('ready');
  });

  it("ends an init that never finishes after Lambda's 10 s init limit", async () => {
    const out = await lambda.send(new InvokeCommand({ FunctionName: 'test-local-stuckInit' }));
    expect(JSON.parse(Buffer.from(out.Payload!).toString())).toMatchObject({
      errorType: 'Runtime.InitError',
    });
  }, 30_000);
});
