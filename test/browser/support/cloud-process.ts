/**
 * A local cloud in a Node process of its own, for a browser test whose clock stays paused.
 *
 * Why: a local cloud's clock installs fake timers in its process (emulator/core/clock.ts), and
 * Playwright's client waits on `setTimeout` in the test's process. On a paused clock those
 * timers fire only while a request to the cloud is in flight, so each wait of Playwright's
 * stretched to the board's next poll: board-busy.test.ts spent 45–80 s waiting for a board
 * that had been online after a second. Here the test's timers stay real.
 *
 *   const cloud = await startCloudProcess({ speed: 'paused', start: START });
 *   new DynamoDBClient(cloud.clientConfig());
 *   await cloud.advanceTo(START + 5_000); // through POST /_dojo/clock, as the board does
 *   await cloud.stop();
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { REPO_ROOT } from './site.ts';

export interface CloudProcess {
  endpoint: string;
  clientConfig(): {
    endpoint: string;
    region: string;
    credentials: { accessKeyId: string; secretAccessKey: string };
    disableHostPrefix: boolean;
  };
  /** The cloud's virtual time. */
  now(): Promise<number>;
  /** Moves the clock to `at` (fast-forward, as the board's controls do) and waits until it is there. */
  advanceTo(at: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startCloudProcess(options: { speed: 'paused'; start: number }): Promise<CloudProcess> {
  const cloudModule = pathToFileURL(join(REPO_ROOT, 'emulator', 'cloud.ts')).href;
  // Ends with its parent: stdin closes when the test's process goes, even killed.
  const script = `import { LocalCloud } from ${JSON.stringify(cloudModule)};
const cloud = await LocalCloud.start({ port: 0, ...${JSON.stringify(options)} });
console.log(JSON.stringify({ endpoint: cloud.endpoint, region: cloud.region }));
process.stdin.resume();
process.stdin.on('end', () => void cloud.stop().then(() => process.exit(0)));`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: REPO_ROOT,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const first = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) =>
      reject(new Error(`the local cloud's process exited (code ${code}) before it started`)),
    );
  });
  const { endpoint, region } = JSON.parse(first) as { endpoint: string; region: string };
  const clock = async (body?: object): Promise<{ now: number; advancing: boolean }> => {
    const res = await fetch(
      `${endpoint}/_dojo/clock`,
      body ? { method: 'POST', body: JSON.stringify(body) } : {},
    );
    if (!res.ok) throw new Error(`/_dojo/clock answered ${res.status}: ${await res.text()}`);
    return (await res.json()) as { now: number; advancing: boolean };
  };
  return {
    endpoint,
    clientConfig: () => ({
      endpoint,
      region,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      disableHostPrefix: true,
    }),
    now: async () => (await clock()).now,
    async advanceTo(at) {
      const { now } = await clock();
      if (now < at) await clock({ advance: at - now });
      for (let state = await clock(); state.advancing || state.now < at; state = await clock())
        await new Promise((resolve) => setTimeout(resolve, 10));
    },
    async stop() {
      child.stdin!.end();
      await exited;
    },
  };
}
