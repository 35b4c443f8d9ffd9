/**
 * The JSONPath subset EventBridge accepts in InputPath and InputPathsMap: `$`, then dot
 * notation (letters, digits, `_`, `-`, `/`), array indices `[0]` and wildcards `.*`, `[*]`.
 * Quoted brackets (`$.detail['x']`) and deep scans (`$..x`) are refused, as AWS refuses them.
 *
 *   readJsonPath(parseJsonPath('$.detail.items[0].id')!, event)
 *
 * A path without wildcards reads one value (undefined when absent); a path with one reads the
 * list of everything it reaches, as Jayway JsonPath does.
 */
export type PathStep =
  | { readonly kind: 'name'; readonly name: string }
  | { readonly kind: 'index'; readonly index: number }
  | { readonly kind: 'wildcard' };

/** The steps of `path`, or undefined when EventBridge would refuse it. */
export function parseJsonPath(path: string): PathStep[] | undefined {
  if (!path.startsWith('$')) return undefined;
  const steps: PathStep[] = [];
  const step = /\.([A-Za-z0-9_\-/]+)|\.\*|\[(\d+)\]|\[\*\]/y;
  step.lastIndex = 1;
  while (step.lastIndex < path.length) {
    const at = step.lastIndex;
    const match = step.exec(path);
    if (!match || match.index !== at) return undefined;
    if (match[1] !== undefined) steps.push({ kind: 'name', name: match[1] });
    else if (match[2] !== undefined) steps.push({ kind: 'index', index: Number(match[2]) });
    else steps.push({ kind: 'wildcard' });
  }
  return steps;
}

export function readJsonPath(steps: readonly PathStep[], root: unknown): unknown {
  const definite = steps.every((step) => step.kind !== 'wildcard');
  let current: unknown[] = [root];
  for (const step of steps) {
    current = current.flatMap((value) => children(value, step));
  }
  return definite ? current[0] : current;
}

function children(value: unknown, step: PathStep): unknown[] {
  if (value === null || typeof value !== 'object') return [];
  if (step.kind === 'wildcard') return Object.values(value);
  if (step.kind === 'index')
    return Array.isArray(value) && step.index < value.length ? [value[step.index]] : [];
  if (Array.isArray(value) || !Object.hasOwn(value, step.name)) return [];
  return [(value as Record<string, unknown>)[step.name]];
}
