/**
 * JSONPath as Step Functions reads it: paths into the state input (`$`), the context object
 * (`$$`) and workflow variables (`$name`), definite paths (one value, or an error when they
 * select nothing) and indefinite ones (a wildcard, slice, filter or descent: always a list,
 * possibly empty), and the reference paths ResultPath writes through.
 */
import { JSONPath } from 'jsonpath-plus';
import { StatesResultPathMatchFailure, StatesRuntime } from './errors.ts';

/** What a path can read: the state's input, the context object and the variables in scope. */
export interface PathData {
  input: unknown;
  context: unknown;
  variable(name: string): { found: boolean; value?: unknown };
}

/** `$name` or `$name.a`: a variable reference (not `$`, `$.x`, `$[0]` or `$$`). */
export function variableOf(path: string): { name: string; rest: string } | undefined {
  const m = /^\$([A-Za-z_][A-Za-z0-9_]*)(.*)$/s.exec(path);
  return m ? { name: m[1], rest: m[2] } : undefined;
}

/** A path selecting at most one value; indefinite ones select a list. */
export function isDefinite(path: string): boolean {
  return !/\*|\.\.|\[\?|\[[^\]'"]*[:,][^\]'"]*\]/.test(path);
}

export type Selection = { found: true; value: unknown } | { found: false };

/** Reads `path`; a definite path that selects nothing is `{ found: false }`, an indefinite one gives []. */
export function select(path: string, data: PathData): Selection {
  let root: unknown;
  let rest: string;
  if (path.startsWith('$$')) {
    root = data.context;
    rest = path.slice(2);
  } else {
    const variable = variableOf(path);
    if (variable) {
      const v = data.variable(variable.name);
      if (!v.found) return { found: false };
      root = v.value;
      rest = variable.rest;
    } else {
      root = data.input;
      rest = path.slice(1);
    }
  }
  const full = `$${rest}`;
  if (full === '$') return { found: true, value: root };
  const values = JSONPath({ path: full, json: root as object, wrap: true }) as unknown[];
  if (!isDefinite(full)) return { found: true, value: values };
  return values.length === 0 ? { found: false } : { found: true, value: values[0] };
}

/** InputPath / OutputPath: `null` gives `{}`; a path selecting nothing is a States.Runtime error. */
export function applyPath(
  path: unknown,
  value: unknown,
  data: Omit<PathData, 'input'>,
  where: string,
): unknown {
  if (path === undefined) return value;
  if (path === null) return {};
  const selection = select(String(path), { ...data, input: value });
  if (!selection.found)
    throw new StatesRuntime(
      `${where}Invalid path '${String(path)}' : No results for path: ${bracketed(String(path))}`,
    );
  return selection.value;
}

/** `$.a.b[0]` as Jayway names it in its messages: `$['a']['b'][0]`. */
export function bracketed(path: string): string {
  const segments = referenceSegments(path);
  if (!segments) return path;
  return `$${segments.map((s) => (typeof s === 'number' ? `[${s}]` : `['${s}']`)).join('')}`;
}

/** The segments of a reference path (`$`, `.name`, `['name']`, `[0]`), undefined for anything else. */
export function referenceSegments(path: string): Array<string | number> | undefined {
  if (!path.startsWith('$')) return undefined;
  const out: Array<string | number> = [];
  let rest = path.slice(1);
  const segment = /^(?:\.([^.[\]]+)|\[(\d+)\]|\['([^']*)'\]|\["([^"]*)"\])/;
  while (rest.length > 0) {
    const m = segment.exec(rest);
    if (!m) return undefined;
    rest = rest.slice(m[0].length);
    if (m[2] !== undefined) out.push(Number(m[2]));
    else out.push((m[1] ?? m[3] ?? m[4]) as string);
  }
  return out;
}

/** ResultPath: where the result goes in a copy of the input (`$` replaces it, null discards the result). */
export function applyResultPath(path: unknown, input: unknown, result: unknown, where: string): unknown {
  if (path === undefined || path === '$') return result;
  if (path === null) return input;
  const segments = referenceSegments(String(path));
  if (!segments) throw new StatesRuntime(`${where}The ResultPath '${String(path)}' is not a reference path.`);
  if (segments.length === 0) return result;
  const fail = () =>
    new StatesResultPathMatchFailure(
      `${where}Unable to apply ReferencePath ${String(path)} to input ${JSON.stringify(input)}`,
    );
  if (input === null || typeof input !== 'object') throw fail();
  const copy = structuredClone(input) as Record<string | number, unknown>;
  let node: Record<string | number, unknown> = copy;
  for (let i = 0; i < segments.length - 1; i++) {
    const key = segments[i];
    const next = node[key];
    if (next === undefined) node[key] = {};
    else if (next === null || typeof next !== 'object') throw fail();
    node = node[key] as Record<string | number, unknown>;
  }
  node[segments[segments.length - 1]] = result;
  return copy;
}
