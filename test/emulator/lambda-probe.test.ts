import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { LocalCloud } from '../../emulator/cloud.ts';
import { functionsTemplate, tempService } from '../support/temp-service.ts';

// The randomness probe: the local cloud runs a handler with Math.random answering chosen
// values (how the session-4 check measures a draw exactly).
const service = tempService({
  'functions/choose.ts': `export const main = async () => { console.log('choosing'); return { numberOfSeconds: 1 + Math.floor(Math.random() * 60) }; };`,
  'functions/twice.ts': `export const main = async () => ({ numberOfSeconds: Math.floor(Math.random() * 30) + Math.floor(Math.random() * 30) + 1 });`,
  'functions/exits.ts': `export const main = async () => { if (Math.random() === 0) process.exit(1); return 1; };`,
  'functions/picky.ts': `export const main = async () => { const r = Math.random(); if (r > 0.9) throw new Error('too high'); return { r }; };`,
});

describe('the Lambda randomness probe', () => {
  let cloud: LocalCloud;
  let lambda: LambdaClient;

  beforeAll(async () => {
    cloud = await LocalCloud.start({ seed: 5 });
    await cloud.deployTemplate(
      functionsTemplate({
        choose: { handler: 'functions/choose.main' },
        twice: { handler: 'functions/twice.main' },
        picky: { handler: 'functions/picky.main' },
        exits: { handler: 'functions/exits.main' },
      }),
      { serviceDir: service.dir, stackName: 'test-local' },
    );
    lambda = new LambdaClient(cloud.clientConfig());
  });
  afterAll(async () => {
    lambda?.destroy();
    await cloud?.stop();
    service.remove();
  });

  it('runs the handler once per input, its first Math.random answering the input', async () => {
    const answers = await cloud.lambda.probe('test-local-choose', {}, [0, 0.5, 0.9999999999999999, 1 / 60]);
    expect(answers).toEqual([
      { calls: 1, ok: true, value: { numberOfSeconds: 1 } },
      { calls: 1, ok: true, value: { numberOfSeconds: 31 } },
      { calls: 1, ok: true, value: { numberOfSeconds: 60 } },
      { calls: 1, ok: true, value: { numberOfSeconds: 2 } },
    ]);
  });

  it('logs nothing and traces no invocation while probing', async () => {
    const before = cloud.trace.all().length;
    await cloud.lambda.probe('test-local-choose', {}, new Array(500).fill(null));
    expect(cloud.trace.all().length).toBe(before);
  });

  it("counts the calls, answering later ones from the sandbox's own stream", async () => {
    const answers = await cloud.lambda.probe('test-local-twice', {}, [0, 0]);
    expect(answers.map((a) => a.calls)).toEqual([2, 2]);
    const values = answers.map((a) => (a.value as { numberOfSeconds: number }).numberOfSeconds);
    expect(values.every((v) => v >= 1 && v <= 30)).toBe(true);
  });

  it('reports a handler error per input', async () => {
    expect(await cloud.lambda.probe('test-local-picky', {}, [0.25, 0.95])).toEqual([
      { calls: 1, ok: true, value: { r: 0.25 } },
      { calls: 1, ok: false, error: 'too high' },
    ]);
  });

  it('fails with the runtime error when the sandbox dies under the probe', async () => {
    await expect(cloud.lambda.probe('test-local-exits', {}, [0.5, 0])).rejects.toThrow(
      /Runtime\.ExitError.*exit status 1/,
    );
  });

  it('gives the sandbox its own Math.random back for real invocations', async () => {
    await cloud.lambda.probe('test-local-choose', {}, [0.5, 0.5, 0.5]);
    const seen = new Set<number>();
    for (let i = 0; i < 10; i++) {
      const out = await lambda.send(
        new InvokeCommand({ FunctionName: 'test-local-choose', Payload: Buffer.from('{}') }),
      );
      seen.add(JSON.parse(Buffer.from(out.Payload!).toString()).numberOfSeconds);
    }
    expect(seen.size).toBeGreaterThan(3);
  });
});
