/**
 * Reads simple reference paths (`$`, `$.a.b`, `$.a[0]`, `$['a b']`) for the few fields the
 * emulator evaluates itself, outside the engine: the item count of MapStateStarted and
 * HeartbeatSecondsPath. Anything fancier gives undefined.
 */
export function readPath(value: unknown, path: string): unknown {
  if (path === '$') return value;
  if (!path.startsWith('$')) return undefined;
  let current: unknown = value;
  const segment = /^(?:\.([A-Za-z_$][\w$-]*)|\[(\d+)\]|\['([^']*)'\]|\["([^"]*)"\])/;
  let rest = path.slice(1);
  while (rest.length > 0) {
    const m = segment.exec(rest);
    if (!m) return undefined;
    rest = rest.slice(m[0].length);
    const key = m[1] ?? m[3] ?? m[4];
    if (key !== undefined) {
      if (current === null || typeof current !== 'object' || Array.isArray(current)) return undefined;
      current = (current as Record<string, unknown>)[key];
    } else {
      if (!Array.isArray(current)) return undefined;
      current = current[Number(m[2])];
    }
  }
  return current;
}
