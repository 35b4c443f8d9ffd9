// `npm test`: the static checks (typecheck, lint, format, import cycles, the course) and
// every vitest test, with the static checks run beside the tests at the lowest CPU priority.
//
// Why: the tests keep both cores busy until their last group (the browser tests), which
// waits on pages and leaves a core idle for a good part of it; the static checks, run first,
// one after another, took about 40 s of a run on their own. At the lowest priority they take
// what the tests leave, so a run takes about as long as its tests. Their output is kept and
// printed after the tests' summary, with a line for each; a failing one is printed whole.
// Arguments go to vitest (`npm test -- --reporter=json ...`, `npm test -- test/emulator`).
import { spawn } from 'node:child_process';
import { setPriority } from 'node:os';
import { performance } from 'node:perf_hooks';

/**
 * The package.json scripts run beside the tests, two at a time. DOJO_STATIC_CHECKS (a comma-
 * separated list of scripts) runs others instead: test/codebase/npm-test.test.ts runs this
 * file with one cheap check, and one that fails.
 */
const STATIC = process.env.DOJO_STATIC_CHECKS?.split(',').filter(Boolean) ?? [
  'typecheck',
  'lint',
  'format:check',
  'lint:cycles',
  'lint:course',
];
const AT_ONCE = 2;
/** The lowest priority there is: `nice 19` on Linux and macOS, "idle" on Windows. */
const LOWEST = 19;

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function runStatic(script) {
  const t0 = performance.now();
  return new Promise((done) => {
    const child = spawn(npm, ['run', '--loglevel=error', script], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, FORCE_COLOR: '0' },
      shell: process.platform === 'win32',
    });
    try {
      setPriority(child.pid, LOWEST);
    } catch {
      // Not allowed here (or already gone): it runs at the normal priority, as it did alone.
    }
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.once('error', (err) => done({ script, code: 1, output: `${output}${err.message}\n`, ms: 0 }));
    child.once('close', (code) => done({ script, code: code ?? 1, output, ms: performance.now() - t0 }));
  });
}

async function runAllStatic() {
  const queue = [...STATIC];
  const results = [];
  const lane = async () => {
    for (let script = queue.shift(); script; script = queue.shift()) results.push(await runStatic(script));
  };
  await Promise.all(Array.from({ length: AT_ONCE }, lane));
  return STATIC.map((script) => results.find((r) => r.script === script));
}

function runVitest(args) {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', ...args], {
      stdio: 'inherit',
    });
    child.once('error', () => done(1));
    child.once('close', (code, signal) => done(code ?? (signal ? 1 : 0)));
  });
}

const staticDone = runAllStatic();
const testsCode = await runVitest(process.argv.slice(2));
const results = await staticDone;

console.log('\nStatic checks (run beside the tests, at the lowest priority):');
for (const r of results) {
  const took = `${(r.ms / 1000).toFixed(1)} s`;
  if (r.code === 0) console.log(`  ✔ npm run ${r.script} (${took})`);
  else console.log(`  ✖ npm run ${r.script} failed (exit code ${r.code}, ${took}):\n${r.output.trimEnd()}\n`);
}
const failed = results.filter((r) => r.code !== 0).map((r) => `npm run ${r.script}`);
if (failed.length) console.log(`\n✖ ${failed.join(', ')} failed: see above. Each runs alone too.`);
process.exit(testsCode !== 0 || failed.length ? 1 : 0);
