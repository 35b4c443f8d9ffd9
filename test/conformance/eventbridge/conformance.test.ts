import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { LocalCloud } from '../../../emulator/cloud.ts';
import { CASES } from './cases.ts';
import { runCase, startCloud } from './runner.ts';

describe('EventBridge conformance: answers recorded on AWS, through @aws-sdk/client-eventbridge', () => {
  let cloud: LocalCloud;
  let eb: EventBridgeClient;
  beforeAll(async () => {
    cloud = await startCloud();
    eb = new EventBridgeClient(cloud.clientConfig());
  });
  afterAll(async () => {
    eb?.destroy();
    await cloud?.stop();
  });

  for (const c of CASES) {
    it(`${c.name} (${c.source})`, async () => {
      const result = await runCase(c, eb, cloud);
      expect(result.detail).toBeUndefined();
      expect(result.pass).toBe(true);
    });
  }
});
