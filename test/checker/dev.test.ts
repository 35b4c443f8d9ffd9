import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { startDev, type DevServer } from '../../checker/commands/dev.ts';
import { invoke } from '../../checker/commands/invoke.ts';
import { cloudForDir, runningClouds } from '../../checker/core/clouds.ts';
import { copyWithEdits } from '../../checker/core/service-copy.ts';
import { waitFor } from '../support/temp-service.ts';
import { capture } from './support.ts';

/**
 * `npm run dev` in this process, on a copy of the mini service, listed in a registry of its
 * own (a scratch root under .dojo/tmp), with its data in a scratch folder.
 */
describe('npm run dev', () => {
  const root = resolve('.dojo', 'tmp', `dev-${randomBytes(4).toString('hex')}`);
  const dataDir = join(root, '.dojo', 'dev-data');
  const service = copyWithEdits(resolve('test/fixtures/mini-service'), []);
  const out = capture();
  let dev: DevServer;
  let lambda: LambdaClient;

  beforeAll(async () => {
    mkdirSync(root, { recursive: true });
    dev = await startDev({ dir: service.dir, port: 0, dataDir, root, print: out.print, log: false });
    lambda = new LambdaClient(dev.cloud.clientConfig());
  });
  afterAll(async () => {
    lambda?.destroy();
    await dev?.stop();
    service.remove();
    rmSync(root, { recursive: true, force: true });
  });

  const invokeVersion = async () =>
    JSON.parse(
      Buffer.from(
        (await lambda.send(new InvokeCommand({ FunctionName: 'mini-local-createVirus' }))).Payload!,
      ).toString(),
    ) as { version?: number };

  it('lists itself in .dojo/run/clouds/ while it runs', () => {
    expect(cloudForDir(root, service.dir)).toMatchObject({
      pid: process.pid,
      endpoint: dev.cloud.endpoint,
      dir: service.dir,
      dataDir,
      command: 'npm run dev',
      region: 'eu-west-1',
    });
  });

  it('refuses a second local cloud on the same data folder, saying who holds it and what to do', async () => {
    const port = new URL(dev.cloud.endpoint).port;
    await expect(
      startDev({ dir: service.dir, port: 0, dataDir, root, print: () => undefined }),
    ).rejects.toMatchObject({
      name: 'UsageError',
      message: `✖ Another local cloud (pid ${process.pid}, port ${port}, npm run dev) is using .dojo/dev-data: two cannot share one data folder.\n  It runs ${service.dir}/ on ${dev.cloud.endpoint}: use that one (npm run invoke, the AWS CLI and the board all can),\n  or stop it first (Ctrl-C in its terminal, or kill ${process.pid}).`,
    });
  });

  it('npm run invoke uses it: the virus is in its table, for the board and the AWS CLI to see', async () => {
    const printed = capture();
    expect(await invoke({ fn: 'createVirus', dir: service.dir, root, print: printed.print })).toBe(0);
    expect(printed.text()).toContain(
      `… using the local cloud of npm run dev (pid ${process.pid}) on ${dev.cloud.endpoint}`,
    );
    const virus = JSON.parse(
      printed.text().slice(printed.text().indexOf('{', printed.text().indexOf('returned'))),
    ) as { id: string };
    expect(printed.text()).toMatch(new RegExp(`INFO {2}created ${virus.id}`));
    const ddb = new DynamoDBClient(dev.cloud.clientConfig());
    try {
      const table = dev.cloud.stacks.get('mini-local')!.resources.get('VirusTable')!.physicalId;
      const items = (await ddb.send(new ScanCommand({ TableName: table }))).Items ?? [];
      expect(items.map((i) => i.id.S)).toContain(virus.id);
    } finally {
      ddb.destroy();
    }
  });

  it('gives a saved handler fresh sandboxes without packaging, even after atomic saves', async () => {
    const handler = join(service.dir, 'functions', 'createVirus.ts');
    const original = readFileSync(handler, 'utf8');
    for (const version of [1, 2, 3]) {
      out.clear();
      const tmp = `${handler}.${version}.tmp`;
      writeFileSync(tmp, original.replace('return virus;', `return { ...virus, version: ${version} };`));
      renameSync(tmp, handler);
      await waitFor(
        () => out.text().includes('createVirus.ts changed: the next invocation uses it'),
        `save ${version} seen`,
      );
      expect((await invokeVersion()).version).toBe(version);
      expect(out.text()).not.toContain('packaging');
    }
    writeFileSync(handler, original);
  });

  it('deploys again when serverless.ts is saved; a broken one is explained and the loop goes on', async () => {
    const config = join(service.dir, 'serverless.ts');
    const original = readFileSync(config, 'utf8');
    out.clear();
    writeFileSync(config, original.replace('timeout: 3 }', 'timeout: 3 }, oops: {'));
    await waitFor(() => out.text().includes('✖ osls package failed'), 'the failed packaging', 60_000);
    expect(out.text()).toContain('Fix it and save: the local cloud keeps running and deploys again.');
    out.clear();
    writeFileSync(config, original.replace('timeout: 3', 'timeout: 4'));
    await waitFor(() => out.text().includes('✔ deployed'), 'the fixed deploy', 60_000);
    expect(dev.cloud.lambda.get('mini-local-createVirus')?.timeout).toBe(4);
    expect(readdirSync(service.dir)).not.toContain('.dojo-package.lock');
  });

  it('is gone from the registry once stopped; a dead one is ignored and cleared', async () => {
    const folder = join(root, '.dojo', 'run', 'clouds');
    writeFileSync(
      join(folder, '999999-4566.json'),
      JSON.stringify({
        pid: 999999,
        host: (await import('node:os')).hostname(),
        startedAt: 0,
        port: 4566,
        endpoint: 'http://127.0.0.1:4566',
        region: 'eu-west-1',
        dir: service.dir,
      }),
    );
    expect(runningClouds(root).map((c) => c.pid)).toEqual([process.pid]);
    expect(readdirSync(folder)).toHaveLength(1);
    await dev.stop();
    expect(readdirSync(folder)).toEqual([]);
  });
});
