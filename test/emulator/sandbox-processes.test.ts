import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { LocalCloud } from '../../emulator/cloud.ts';
import { functionsTemplate, tempService } from '../support/temp-service.ts';

const run = promisify(execFile);

/** This process's children that have exited but were never waited for (Linux's /proc). */
function zombieChildren(): string[] {
  const zombies: string[] = [];
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue;
    }
    // pid (comm) state ppid ...: comm may hold spaces, so read after its closing parenthesis.
    const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (state === 'Z' && Number(ppid) === process.pid)
      zombies.push(stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')));
  }
  return zombies;
}

describe.runIf(process.platform === 'linux')('Lambda sandboxes and their processes', () => {
  it('leave no zombie esbuild processes behind, however many sandboxes come and go', async () => {
    // Fresh code each run: handler bundles are kept by content, and a kept one would need no esbuild at all.
    const marker = randomBytes(6).toString('hex');
    const service = tempService({
      'functions/a.ts': `export const main = async (): Promise<string> => 'a-${marker}';`,
      'functions/b.ts': `export const main = async (): Promise<string> => 'b-${marker}';`,
    });
    const before = zombieChildren().length;
    const cloud = await LocalCloud.start({});
    const lambda = new LambdaClient(cloud.clientConfig());
    try {
      await cloud.deployTemplate(
        functionsTemplate({ a: { handler: 'functions/a.main' }, b: { handler: 'functions/b.main' } }),
        { serviceDir: service.dir, stackName: 'test-local' },
      );
      // Calls at once: each needs a sandbox of its own, and each sandbox compiles its handler.
      const outs = await Promise.all(
        ['a', 'b', 'a', 'b'].map((f) => lambda.send(new InvokeCommand({ FunctionName: `test-local-${f}` }))),
      );
      expect(outs.map((o) => JSON.parse(Buffer.from(o.Payload!).toString()))).toEqual([
        `a-${marker}`,
        `b-${marker}`,
        `a-${marker}`,
        `b-${marker}`,
      ]);
    } finally {
      lambda.destroy();
      await cloud.stop();
      service.remove();
    }
    expect(zombieChildren()).toHaveLength(before);
  }, 60_000);

  it('start in a local cloud whose process was given flags a worker refuses (node --max-old-space-size=…)', async () => {
    // An instructor's `node --max-old-space-size=4096 checker/bin/dojo.mjs dev`: every sandbox failed to start.
    const service = tempService({
      'functions/a.ts': `export const main = async (): Promise<string> => 'started';`,
    });
    const script = `import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { LocalCloud } from ${JSON.stringify(resolve('emulator/cloud.ts'))};
import { functionsTemplate } from ${JSON.stringify(resolve('test/support/temp-service.ts'))};
const cloud = await LocalCloud.start({});
await cloud.deployTemplate(functionsTemplate({ a: { handler: 'functions/a.main' } }), { serviceDir: ${JSON.stringify(service.dir)}, stackName: 'test-local' });
const lambda = new LambdaClient(cloud.clientConfig());
const out = await lambda.send(new InvokeCommand({ FunctionName: 'test-local-a' }));
console.log(JSON.stringify({ error: out.FunctionError ?? null, payload: Buffer.from(out.Payload ?? []).toString() }));
lambda.destroy();
await cloud.stop();`;
    service.write('run.mts', script);
    try {
      const { stdout } = await run(
        process.execPath,
        ['--max-old-space-size=2048', '--expose-gc', '--import', 'tsx', join(service.dir, 'run.mts')],
        { timeout: 50_000 },
      );
      expect(JSON.parse(stdout.trim().split('\n').pop()!)).toEqual({ error: null, payload: '"started"' });
    } finally {
      service.remove();
    }
  }, 60_000);
});
