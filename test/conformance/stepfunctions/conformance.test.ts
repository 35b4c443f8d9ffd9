import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SFNClient } from '@aws-sdk/client-sfn';
import { LocalCloud } from '../../../emulator/cloud.ts';
import { CASES } from './cases.ts';
import { runCase } from './runner.ts';

describe('Step Functions conformance: cases from AWS documentation and the States Language spec, through @aws-sdk/client-sfn', () => {
  let cloud: LocalCloud;
  let sfn: SFNClient;
  beforeAll(async () => {
    cloud = await LocalCloud.start();
    sfn = new SFNClient(cloud.clientConfig());
  });
  afterAll(async () => {
    sfn?.destroy();
    await cloud?.stop();
  });

  for (const c of CASES) {
    it(`${c.name} (${c.source})`, async () => {
      const result = await runCase(c, sfn, cloud);
      expect(result.detail).toBeUndefined();
      expect(result.pass).toBe(true);
    });
  }
});
