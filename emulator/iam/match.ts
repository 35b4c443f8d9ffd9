/**
 * IAM's two wildcard languages.
 *
 * Actions (`dynamodb:Put*`, `states:*`, `*`) are matched case-insensitively; `*` is any run of
 * characters and `?` any one character.
 *
 * Resources (ARNs) are matched case-sensitively, segment by segment (the parts between
 * colons): a `*` or `?` stays inside its segment, except that a `*` ending a segment may run
 * on across colons. So `arn:aws:dynamodb:*:*:table/viruses*` matches the table and its
 * indexes (`.../table/viruses/index/byDate`), and `...:log-group:/aws/lambda/svc*:*` matches
 * log streams. A lone `*` matches every resource, including the `*` of actions that have no
 * resource-level permissions.
 */
export function actionMatches(pattern: string, action: string): boolean {
  return compiled(
    actionPatterns,
    pattern,
    () => new RegExp(`^${pattern.split('').map(actionChar).join('')}$`, 'is'),
  ).test(action);
}

export function resourceMatches(pattern: string, resource: string): boolean {
  if (pattern === '*') return true;
  return compiled(
    resourcePatterns,
    pattern,
    () =>
      new RegExp(
        `^${pattern
          .split('')
          .map((c, i) => resourceChar(c, pattern[i + 1]))
          .join('')}$`,
        's',
      ),
  ).test(resource);
}

// Policies are evaluated on every call a sandbox makes: compile each pattern once.
const actionPatterns = new Map<string, RegExp>();
const resourcePatterns = new Map<string, RegExp>();

function compiled(cache: Map<string, RegExp>, pattern: string, build: () => RegExp): RegExp {
  let re = cache.get(pattern);
  if (!re) {
    re = build();
    cache.set(pattern, re);
  }
  return re;
}

function actionChar(c: string): string {
  if (c === '*') return '.*';
  if (c === '?') return '.';
  return escape(c);
}

function resourceChar(c: string, next: string | undefined): string {
  if (c === '*') return next === ':' || next === undefined ? '.*' : '[^:]*';
  if (c === '?') return '[^:]';
  return escape(c);
}

function escape(c: string): string {
  return /[\\^$.|+()[\]{}]/.test(c) ? `\\${c}` : c;
}
