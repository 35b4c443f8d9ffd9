/**
 * A mistake in a CloudFormation template, said the way a learner can act on it: which
 * resource (or output, or condition), which property path inside it, and what is wrong.
 *
 *   Resource VirusTable, Properties.KeySchema[0]: Ref to unknown resource "VirusTabel".
 *
 * `where` is a path whose first segment is a resource's logical id (`VirusTable.Properties.X`),
 * or `Outputs.<name>...`, `Conditions.<name>...`; an empty `where` leaves the detail alone.
 */
export class TemplateError extends Error {
  constructor(
    readonly where: string,
    readonly detail: string,
  ) {
    super(`${describeLocation(where)}${detail}`);
    this.name = 'TemplateError';
  }
}

/** `VirusTable.Properties.KeySchema[0]` → `Resource VirusTable, Properties.KeySchema[0]: `. */
export function describeLocation(where: string): string {
  if (!where) return '';
  const path = where.startsWith('Resources.') ? where.slice('Resources.'.length) : where;
  const section = /^(Outputs|Conditions|Parameters)\.([^.[]+)(.*)$/.exec(path);
  if (section) {
    const kind = { Outputs: 'Output', Conditions: 'Condition', Parameters: 'Parameter' }[
      section[1] as 'Outputs' | 'Conditions' | 'Parameters'
    ];
    return `${kind} ${section[2]}${tail(section[3])}: `;
  }
  const resource = /^([^.[]+)(.*)$/.exec(path);
  return resource ? `Resource ${resource[1]}${tail(resource[2])}: ` : `${path}: `;
}

export function childPath(where: string, key: string): string {
  return where ? `${where}.${key}` : key;
}

export function indexPath(where: string, index: number): string {
  return `${where}[${index}]`;
}

/** ` Did you mean "VirusTable"?` when a known name is a likely typo of `name`, else ''. */
export function didYouMean(name: string, candidates: Iterable<string>): string {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = candidate.toLowerCase() === name.toLowerCase() ? 0 : editDistance(name, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  // Two edits catch swapped or missing letters without suggesting unrelated short names.
  return best !== undefined && bestDistance <= Math.min(2, Math.floor(name.length / 3))
    ? ` Did you mean "${best}"?`
    : '';
}

function tail(rest: string): string {
  const trimmed = rest.startsWith('.') ? rest.slice(1) : rest;
  return trimmed ? `, ${trimmed}` : '';
}

/** Levenshtein distance, with a swap of two neighbours counting as one edit. */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}
