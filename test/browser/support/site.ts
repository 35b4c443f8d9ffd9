/**
 * The built guide, for the browser tests: built once with `vitepress build` and shared by
 * every test file (they run in parallel processes), rebuilt only when its sources change,
 * and served by a small static server, as a host would serve it.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { realNow, realSleep } from '../../../emulator/index.ts';

export const REPO_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
export const RESULTS_DIR = join(REPO_ROOT, 'test-results');
const SITE_DIR = join(RESULTS_DIR, 'site');
const LOCK_DIR = join(RESULTS_DIR, 'site.lock');
const STAMP_FILE = join(SITE_DIR, '.inputs');

/** What the guide is built from: its pages and theme, and the sessions it renders. */
const INPUTS = ['docs', 'sessions', 'solutions', 'package-lock.json'];
// `.dojo-package.lock` comes and goes in a solution's folder while a test file packages it: not a source.
const SKIP = /(^|\/)(node_modules|\.serverless|\.esbuild|\.dojo[^/]*|cache|dist|\.temp|\.temp-[^/]*)(\/|$)/;
// The browser tests rewrite the guide's screenshots themselves (board.png, room.png): a new one
// must not make every later test file build the guide again.
const SCREENSHOTS = 'docs/public/screenshots';

/** Builds the guide unless a build of the same sources is there; returns its folder. */
export async function builtSite(): Promise<string> {
  const stamp = inputsStamp();
  if (readStamp() === stamp) return SITE_DIR;
  await withLock(async () => {
    // Another test file may have built it while this one waited for the lock.
    if (readStamp() === stamp) return;
    const out = join(RESULTS_DIR, `site-${process.pid}`);
    rmSync(out, { recursive: true, force: true });
    await buildInto(out);
    writeFileSync(join(out, '.inputs'), stamp);
    rmSync(SITE_DIR, { recursive: true, force: true });
    renameSync(out, SITE_DIR);
  });
  return SITE_DIR;
}

function readStamp(): string | undefined {
  try {
    return readFileSync(STAMP_FILE, 'utf8');
  } catch {
    return undefined;
  }
}

/** Paths, sizes and modification times of every input: cheap, and any edit changes it. */
function inputsStamp(): string {
  const hash = createHash('sha256');
  const walk = (rel: string) => {
    if (SKIP.test(rel) || rel === SCREENSHOTS) return;
    const abs = join(REPO_ROOT, rel);
    if (!existsSync(abs)) return;
    const s = statSync(abs);
    if (s.isDirectory()) {
      for (const name of readdirSync(abs).sort()) walk(`${rel}/${name}`);
    } else {
      hash.update(`${rel}\0${s.size}\0${s.mtimeMs}\n`);
    }
  };
  for (const input of INPUTS) walk(input);
  return hash.digest('hex');
}

/**
 * `vitepress build` in a child process (this one may run a local cloud on a virtual clock).
 * Its temporary folder is ours alone: `docs/.vitepress/.temp` is shared with any other build.
 */
function buildInto(outDir: string): Promise<void> {
  const tempDir = join(RESULTS_DIR, `.vitepress-temp-${process.pid}`);
  const script = `
    import { build } from 'vitepress';
    await build('docs', { outDir: ${JSON.stringify(outDir)}, onAfterConfigResolve(config) { config.tempDir = ${JSON.stringify(tempDir)}; } });
  `;
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      rmSync(tempDir, { recursive: true, force: true });
      if (code === 0) resolvePromise();
      else reject(new Error(`vitepress build failed (exit code ${code}):\n${output.slice(-4000)}`));
    });
  });
}

/** mkdir is atomic: the first process to create the folder builds, the others wait. */
async function withLock(work: () => Promise<void>): Promise<void> {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const deadline = realNow() + 10 * 60_000;
  for (;;) {
    try {
      mkdirSync(LOCK_DIR);
      break;
    } catch {
      // A build that crashed left its lock behind: builds take well under five minutes.
      const since = statSync(LOCK_DIR, { throwIfNoEntry: false })?.mtimeMs;
      if (since !== undefined && realNow() - since > 5 * 60_000)
        rmSync(LOCK_DIR, { recursive: true, force: true });
      if (realNow() > deadline)
        throw new Error(`Waited ten minutes for ${LOCK_DIR}: remove it if no test is running.`);
      await realSleep(250);
    }
  }
  try {
    await work();
  } finally {
    rmSync(LOCK_DIR, { recursive: true, force: true });
  }
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain',
};

export interface SiteServer {
  url: string;
  close(): Promise<void>;
}

/** Serves the built guide with clean URLs (`/board` is `board.html`), like `vitepress serve`. */
export async function serveSite(dir: string): Promise<SiteServer> {
  const root = resolve(dir);
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    const candidates = path.endsWith('/')
      ? [`${path}index.html`]
      : [path, `${path}.html`, `${path}/index.html`];
    for (const c of candidates) {
      const file = normalize(join(root, c));
      if (!file.startsWith(root) || !existsSync(file) || !statSync(file).isFile()) continue;
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
      res.end(readFileSync(file));
      return;
    }
    res.writeHead(404, { 'content-type': 'text/html; charset=utf-8' });
    res.end(existsSync(join(root, '404.html')) ? readFileSync(join(root, '404.html')) : 'Not found');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
