import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { exportLine } from '../../checker/commands/dev.ts';
import { LocalCloud } from '../../emulator/cloud.ts';

const run = promisify(execFile);

describe('the export line npm run dev prints', () => {
  it('is all the AWS CLI v1 needs to reach the local cloud, region included', async () => {
    const cloud = await LocalCloud.start({ port: 0, speed: 1 });
    // A home without ~/.aws: nothing but the printed line configures the CLI.
    const home = mkdtempSync(join(tmpdir(), 'cli-export-'));
    try {
      const line = exportLine(cloud.endpoint, cloud.region);
      const env = Object.fromEntries(
        line
          .replace(/^export /, '')
          .split(' ')
          .map((kv) => kv.split('=') as [string, string]),
      );
      expect(env).toMatchObject({ AWS_REGION: cloud.region, AWS_DEFAULT_REGION: cloud.region });
      const { stdout } = await run('aws', ['dynamodb', 'list-tables', '--output', 'json'], {
        env: { PATH: process.env.PATH ?? '', HOME: home, ...env },
      });
      expect(JSON.parse(stdout)).toEqual({ TableNames: [] });
    } finally {
      await cloud.stop();
      rmSync(home, { recursive: true, force: true });
    }
  }, 60_000);
});
