/**
 * CloudWatch Logs filter patterns for unstructured log events, the part a learner types to
 * find a line: terms, quoted phrases, `?term` (any of) and `-term` (none of). Matching is
 * case sensitive, as on AWS. JSON (`{ $.x = 1 }`), space-delimited (`[ip, user, ...]`) and
 * regular-expression (`%...%`) patterns are refused with a message that says so.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html
 */
import { AwsError } from '../core/errors.ts';

export type LogFilter = (message: string) => boolean;

interface Token {
  text: string;
  kind: 'all' | 'any' | 'none';
}

export function compileFilterPattern(pattern: string | undefined): LogFilter {
  const source = (pattern ?? '').trim();
  if (source === '') return () => true;
  if (/^[{[%]/.test(source))
    throw new AwsError(
      'InvalidParameterException',
      `The local cloud does not support this filter pattern: ${JSON.stringify(source)}. It matches plain terms (ERROR), quoted phrases ("Task timed out"), ?term (any of) and -term (none of); JSON, space-delimited and regular-expression patterns are AWS-only.`,
    );
  const tokens = tokenize(source);
  const all = tokens.filter((t) => t.kind === 'all').map((t) => t.text);
  const any = tokens.filter((t) => t.kind === 'any').map((t) => t.text);
  const none = tokens.filter((t) => t.kind === 'none').map((t) => t.text);
  return (message) =>
    all.every((t) => message.includes(t)) &&
    (any.length === 0 || any.some((t) => message.includes(t))) &&
    !none.some((t) => message.includes(t));
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    if (source[i] === ' ') {
      i++;
      continue;
    }
    let kind: Token['kind'] = 'all';
    if (source[i] === '?' || source[i] === '-') {
      kind = source[i] === '?' ? 'any' : 'none';
      i++;
    }
    if (source[i] === '"') {
      const end = source.indexOf('"', i + 1);
      if (end < 0)
        throw new AwsError(
          'InvalidParameterException',
          `Invalid filter pattern ${JSON.stringify(source)}: the phrase at character ${i + 1} has no closing double quote.`,
        );
      tokens.push({ text: source.slice(i + 1, end), kind });
      i = end + 1;
    } else {
      const end = source.indexOf(' ', i);
      const text = source.slice(i, end < 0 ? source.length : end);
      if (text) tokens.push({ text, kind });
      i = end < 0 ? source.length : end;
    }
  }
  return tokens;
}
