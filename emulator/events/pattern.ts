/**
 * EventBridge event patterns: validation and matching, faithful to AWS.
 *
 *   const pattern = parseEventPattern('{"source": ["dojo.game"], "detail": {"lives": [{"numeric": [">", 0]}]}}');
 *   matchesPattern(pattern, event); // true or false
 *
 * `parseEventPattern` refuses what EventBridge refuses (PutRule, TestEventPattern) with
 * `InvalidEventPatternException` and AWS's message, location included, for example
 *
 *   Event pattern is not valid. Reason: "source" must be an object or an array
 *    at [Source: (String)"{"source":"dojo.game"}"; line: 1, column: 12]
 *
 * A pattern given as an object is read as its compact JSON, which is what CloudFormation
 * sends to PutRule. The language is the whole of EventBridge content filtering: exact values
 * (strings, numbers, booleans, null), prefix, suffix, equals-ignore-case, wildcard,
 * anything-but (values, prefix, suffix, equals-ignore-case, wildcard), numeric, cidr
 * (IPv4, IPv6), exists, and $or, at any depth. `matchesPattern` applies it to the whole event
 * envelope (source, detail-type, account, region, resources, detail...).
 *
 * Not reproduced: the "Rule is too complex" refusal of wildcard patterns that AWS rates too
 * costly, whose scoring is internal to AWS.
 */
import { AwsError } from '../core/errors.ts';
import { compilePattern, PatternArgumentError, type Branch } from './pattern-compiler.ts';
import { PatternJsonError } from './pattern-json.ts';
import { matchesBranches } from './pattern-matcher.ts';

export interface EventPattern {
  /** The pattern's JSON text as it was given (or the compact JSON of an object). */
  readonly text: string;
  /** One map of field matchers per combination of `$or` choices. */
  readonly branches: readonly Branch[];
}

export function parseEventPattern(json: string | object): EventPattern {
  const text = typeof json === 'string' ? json : JSON.stringify(json);
  try {
    return { text, branches: compilePattern(text) };
  } catch (error) {
    if (error instanceof PatternJsonError || error instanceof PatternArgumentError) {
      throw new AwsError(
        'InvalidEventPatternException',
        `Event pattern is not valid. Reason: ${error.message}`,
      );
    }
    throw error;
  }
}

export function matchesPattern(pattern: EventPattern, event: object): boolean {
  return matchesBranches(pattern.branches, event);
}
