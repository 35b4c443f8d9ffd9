/**
 * Environment variables a test sets for a while, put back in place afterwards:
 *
 *   const saved = { ...process.env };
 *   Object.assign(process.env, oslsEnv(cloud.endpoint));
 *   ...
 *   restoreEnv(saved);
 *
 * In place, not `process.env = saved`: that swaps Node's environment object for a plain one, and
 * the parallel group's files share their worker processes (test/support/shared-process-guard.ts).
 */
export function restoreEnv(saved: Record<string, string | undefined>): void {
  for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
  for (const [name, value] of Object.entries(saved))
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
}
