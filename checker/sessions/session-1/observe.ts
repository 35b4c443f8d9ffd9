/**
 * What the checker sees of a deployed session-1 service: ten direct invocations of
 * createVirus (Lambda Invoke, as `npm run invoke` and the AWS console do), then the table.
 */
import type { BehaviourContext } from '../../core/session-check.ts';
import { functionName, invoke, scanAll, tableName, type Call } from './deployed.ts';

export const INVOCATIONS = 10;
/** Time let pass between invocations, so that a time taken once (at module load) shows. */
export const SPACING_MS = 1000;

export interface Observation {
  fn?: string;
  table?: string;
  calls: Call[];
  /** The table's items after the invocations; undefined when there is no table to read. */
  items?: Array<Record<string, unknown>>;
}

export async function observe({ target, deployment }: BehaviourContext): Promise<Observation> {
  const fn = functionName(deployment, 'createVirus');
  const table = tableName(deployment);
  const calls: Call[] = [];
  if (fn) {
    for (let i = 0; i < INVOCATIONS; i++) {
      if (i > 0) await target.run(SPACING_MS);
      calls.push(await invoke(target, fn, {}));
    }
  }
  const items = table ? await scanAll(target, table) : undefined;
  return { fn, table, calls, items };
}
