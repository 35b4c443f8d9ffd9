import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { LocalCloud, realSleep } from '../../emulator/index.ts';
import { functionsTemplate, tempService } from '../support/temp-service.ts';

/**
 * A sandbox that dies between invocations (here: a timer the handler left behind throws
 * after it returned) is never handed the next invocation: Lambda starts a fresh execution
 * environment, it does not answer "the sandbox is gone".
 */
const service = tempService({
  'functions/late.ts': `let n = 0;
export const main = async () => { n++; if (n === 1) setTimeout(() => { throw new Error('thrown after the response'); }, 1000); return { n }; };`,
});

describe('a sandbox that dies while idle', () => {
  let cloud: LocalCloud;
  let lambda: LambdaClient;
  const invoke = async () => {
    const out = await lambda.send(
      new InvokeCommand({ FunctionName: 'test-local-late', Payload: Buffer.from('{}') }),
    );
    return {
      error: out.FunctionError,
      payload: JSON.parse(Buffer.from(out.Payload ?? []).toString() || 'null'),
    };
  };

  beforeAll(async () => {
    cloud = await LocalCloud.start();
    await cloud.deployTemplate(functionsTemplate({ late: { handler: 'functions/late.main' } }), {
      serviceDir: service.dir,
      stackName: 'test-local',
    });
    lambda = new LambdaClient(cloud.clientConfig());
  });
  afterAll(async () => {
    lambda?.destroy();
    await cloud?.stop();
    service.remove();
  });

  it('is replaced by a fresh one for the next invocation', async () => {
    expect(await invoke()).toEqual({ error: undefined, payload: { n: 1 } });
    await cloud.clock.advance(2000);
    // The worker reports its crash a few real ms after the timer fired.
    await realSleep(500);
    // A fresh sandbox: its module state starts again.
    expect(await invoke()).toEqual({ error: undefined, payload: { n: 1 } });
  });
});
