/**
 * The learner's live loop, timed: how long from a save to the local cloud of `npm run dev`
 * running it, for a handler change (fresh sandboxes: the next invocation returns the new
 * code) and for a serverless.ts change (packaged and deployed again: the function has the
 * new configuration), each the median of `runs`, next to `osls package` alone on the same
 * folder, measured in the same run (the floor a configuration change cannot go under).
 */
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { startDev } from '../checker/commands/dev.ts';
import { packageOutputDir, packageService, realSleep as sleep } from '../emulator/index.ts';

export interface LiveLoopFigures {
  handlerMs: number;
  configMs: number;
  packageMs: number;
  runs: number;
}

const FUNCTION = 'mini-local-createVirus';

export async function benchLiveLoop(runs = 10): Promise<LiveLoopFigures> {
  const dir = resolve('.dojo', 'tmp', `bench-loop-${randomBytes(4).toString('hex')}`);
  cpSync(resolve('test/fixtures/mini-service'), dir, {
    recursive: true,
    filter: (src) => !/(\.esbuild|node_modules)$/.test(src),
  });
  const handler = join(dir, 'functions', 'createVirus.ts');
  const config = join(dir, 'serverless.ts');
  const handlerText = readFileSync(handler, 'utf8');
  const configText = readFileSync(config, 'utf8');
  const dev = await startDev({ dir, port: 0, dataDir: false, log: false, print: () => undefined });
  const lambda = new LambdaClient(dev.cloud.clientConfig());
  try {
    const handlerMs: number[] = [];
    for (let i = 1; i <= runs; i++) {
      const t0 = performance.now();
      writeFileSync(handler, handlerText.replace('return virus;', `return { ...virus, run: ${i} };`));
      for (;;) {
        const out = await lambda.send(new InvokeCommand({ FunctionName: FUNCTION }));
        if ((JSON.parse(Buffer.from(out.Payload!).toString()) as { run?: number }).run === i) break;
        await sleep(10);
      }
      handlerMs.push(performance.now() - t0);
    }

    const configMs: number[] = [];
    for (let i = 1; i <= runs; i++) {
      const timeout = 3 + i;
      const t0 = performance.now();
      writeFileSync(config, configText.replace('timeout: 3', `timeout: ${timeout}`));
      while (dev.cloud.lambda.get(FUNCTION)?.timeout !== timeout) await sleep(10);
      configMs.push(performance.now() - t0);
    }
    await dev.settled();

    // The baseline: osls package alone (the package cache forgotten each time).
    const packageMs: number[] = [];
    for (let i = 0; i < runs; i++) {
      rmSync(packageOutputDir(dir), { recursive: true, force: true });
      const t0 = performance.now();
      await packageService(dir);
      packageMs.push(performance.now() - t0);
    }
    return { handlerMs: median(handlerMs), configMs: median(configMs), packageMs: median(packageMs), runs };
  } finally {
    lambda.destroy();
    await dev.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
