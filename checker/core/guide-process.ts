/**
 * The guide in a child process: `npm start` and `npm start -- --aws` serve the VitePress
 * guide from here. A child, because the local cloud replaces this process's timers and Date
 * with its virtual clock, and a dev server (file watching, reload debounces, HTTP keep-alive)
 * must live in real time. The child's program is guide-child.mjs.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { REPO_ROOT } from './repo.ts';
import { realClearTimeout, realSetTimeout } from '../../emulator/index.ts';

export interface Guide {
  ready: Promise<string>;
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

const GUIDE_CHILD = fileURLToPath(new URL('./guide-child.mjs', import.meta.url));

export function startGuide(port: number): Guide {
  const child: ChildProcess = spawn(process.execPath, [GUIDE_CHILD], {
    cwd: REPO_ROOT,
    env: { ...process.env, DOJO_GUIDE_PORT: String(port) },
    // No stdin: Ctrl-C reaches it as SIGINT through the terminal's process group, and
    // VitePress's keyboard shortcuts would fight over the terminal with this process.
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = new Promise<string>((resolve, reject) => {
    child.on('message', (m: { type?: string; url?: string; busy?: boolean; message?: string }) => {
      if (m.type === 'ready' && m.url) resolve(m.url);
      if (m.type === 'error')
        reject(Object.assign(new Error(`The guide did not start: ${m.message}`), { busy: m.busy }));
    });
    void exited.then((code) =>
      reject(new Error(`The guide stopped before it was ready (exit code ${code ?? 'none'}).`)),
    );
  });
  ready.catch(() => undefined);
  return {
    ready,
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      // The real timer: this process's global one runs on the virtual clock.
      const killer = realSetTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      realClearTimeout(killer);
    },
  };
}
