/**
 * The `wildcard` filter of event patterns: `*` stands for any run of characters (none
 * included); `\*` is a literal star and `\\` a literal backslash. Two stars in a row and a
 * backslash before anything else are refused, with event-ruler's messages.
 */
export type WildcardMatcher = (value: string) => boolean;

/** Compiles a wildcard; throws an Error with event-ruler's message when it is malformed. */
export function compileWildcard(pattern: string): WildcardMatcher {
  checkWildcard(pattern);
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') source += '[\\s\\S]*';
    else if (c === '\\') source += escapeRegExp(pattern[++i]);
    else source += escapeRegExp(c);
  }
  const re = new RegExp(`^${source}$`);
  return (value) => re.test(value);
}

// event-ruler reports positions as UTF-8 byte offsets in the value with its opening quote.
function checkWildcard(pattern: string): void {
  const bytes = new TextEncoder().encode(pattern);
  const STAR = 0x2a;
  const BACKSLASH = 0x5c;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === STAR && bytes[i + 1] === STAR)
      throw new Error(`Consecutive wildcard characters at pos ${i + 1}`);
    if (bytes[i] === BACKSLASH) {
      if (bytes[i + 1] === STAR || bytes[i + 1] === BACKSLASH) i++;
      else throw new Error(`Invalid escape character at pos ${i + 1}`);
    }
  }
}

function escapeRegExp(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
