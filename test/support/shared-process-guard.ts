/**
 * The parallel group's files share their worker processes (`isolate: false` in
 * vitest.config.ts): a worker runs one file after another with the modules it has loaded, which
 * saves each file a new process and a new import of the kit. The price is that a file which
 * leaves the process changed changes the files after it, in an order that depends on the run.
 *
 * This setup file runs around every file of that group and fails the file that leaves one of
 * these behind, so the leak is reported where it is made:
 *   - an environment variable set, changed or removed, and not restored;
 *   - another working folder (`process.chdir`);
 *   - a local cloud's fake timers still installed (a `LocalCloud` started and not stopped);
 *   - `console.log` replaced and not put back.
 */
import { afterAll, beforeAll, expect } from 'vitest';

let env: Record<string, string | undefined> = {};
let cwd = '';
let log: typeof console.log;

beforeAll(() => {
  env = { ...process.env };
  cwd = process.cwd();
  log = console.log;
});

afterAll(() => {
  const left: string[] = [];
  const names = new Set([...Object.keys(env), ...Object.keys(process.env)]);
  for (const name of [...names].sort())
    if (env[name] !== process.env[name]) left.push(`environment variable ${name} changed, not restored`);
  if (process.cwd() !== cwd) left.push(`working folder changed to ${process.cwd()}, not restored`);
  // @sinonjs/fake-timers marks each function it installs with its clock (emulator/core/clock.ts installs it).
  if ('clock' in setTimeout) left.push('a local cloud still running (its fake timers installed): stop it');
  if (console.log !== log) left.push('console.log replaced, not put back');
  expect(left, 'what this file left in the worker process the next files share').toEqual([]);
});
