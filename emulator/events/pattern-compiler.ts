/**
 * Compiles the JSON text of an event pattern into branches of field matchers, validating it
 * the way EventBridge does. EventBridge runs AWS's event-ruler (JsonRuleCompiler); this
 * module walks the tokens in the same order and fails at the same token with the same words,
 * so an invalid pattern gets the very message AWS gives.
 *
 * A pattern compiles to a list of branches, one per combination of `$or` choices; a branch
 * maps a dotted field path ("detail.state") to the matchers of its array, any of which may
 * match. An event matches a pattern when it matches one branch.
 */
import { comparableNumber } from './comparable-number.ts';
import { parseCidr, parseIp, singleAddress, type IpRange } from './ip.ts';
import { isNumeric, PatternJsonError, PatternJsonReader, type Token } from './pattern-json.ts';
import { compileWildcard, type WildcardMatcher } from './wildcard.ts';

export type Branch = Map<string, readonly Matcher[]>;

export type Matcher =
  | { readonly kind: 'exact'; readonly value: string }
  | { readonly kind: 'address'; readonly range: IpRange }
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'literal'; readonly value: boolean | null }
  | {
      readonly kind: 'prefix' | 'suffix' | 'equals-ignore-case';
      readonly value: string;
      readonly ignoreCase: boolean;
    }
  | { readonly kind: 'wildcard'; readonly test: WildcardMatcher }
  | {
      readonly kind: 'anything-but';
      readonly strings: ReadonlySet<string>;
      readonly numbers: readonly number[];
    }
  | {
      readonly kind: 'anything-but-ignore-case' | 'anything-but-prefix' | 'anything-but-suffix';
      readonly values: readonly string[];
    }
  | { readonly kind: 'anything-but-wildcard'; readonly tests: readonly WildcardMatcher[] }
  | { readonly kind: 'range'; readonly bottom?: Bound; readonly top?: Bound }
  | { readonly kind: 'cidr'; readonly range: IpRange }
  | { readonly kind: 'exists'; readonly value: boolean };

export interface Bound {
  readonly value: number;
  readonly open: boolean;
}

/** A failure that event-ruler lets escape without a location (Java's IllegalArgumentException). */
export class PatternArgumentError extends Error {}

/** Compiles `text`; throws PatternJsonError or PatternArgumentError with AWS's reason. */
export function compilePattern(text: string): Branch[] {
  return new Compiler(new PatternJsonReader(text)).compile();
}

const OR = '$or';

// Names event-ruler keeps for itself inside $or branches, including some for the future.
const RESERVED_IN_OR = new Set([
  'exactly',
  'equals-ignore-case',
  'prefix',
  'suffix',
  'anything-but',
  'exists',
  'wildcard',
  'numeric',
  'cidr',
  '=',
  '<',
  '<=',
  '>',
  '>=',
  'regex',
  'not-wildcard',
  'not-equals-ignore-case',
  'date-after',
  'date-on-or-after',
  'date-before',
  'date-on-or-before',
  'in-date-range',
  'ip-address-in-range',
  'ip-address-not-in-range',
]);

type AnythingButKind = 'plain' | 'equals-ignore-case' | 'prefix' | 'suffix' | 'wildcard';

class Compiler {
  constructor(private readonly reader: PatternJsonReader) {}

  compile(): Branch[] {
    const branches: Branch[] = [];
    if (this.reader.nextToken() !== 'START_OBJECT') this.reader.fail('Filter is not an object');
    // Whatever follows the closing brace is never read, as in event-ruler.
    this.parseObject(branches, [], false);
    return branches;
  }

  private parseObject(branches: Branch[], path: readonly string[], insideOr: boolean): void {
    const reader: PatternJsonReader = this.reader;
    let fieldsPresent = false;
    while (reader.nextToken() !== 'END_OBJECT') {
      fieldsPresent = true;
      const step = reader.currentName();
      if (step === OR) {
        this.parseOr(branches, path);
        continue;
      }
      if (insideOr && RESERVED_IN_OR.has(step))
        reader.fail(`${step} is Ruler reserved fieldName which cannot be used inside ${OR}.`);
      switch (reader.nextToken()) {
        case 'START_OBJECT':
          this.parseObject(branches, [...path, step], insideOr);
          break;
        case 'START_ARRAY':
          this.writeField(branches, [...path, step].join('.'));
          break;
        default:
          reader.fail(`"${step}" must be an object or an array`);
      }
    }
    if (!fieldsPresent) reader.fail('Empty objects are not allowed');
  }

  private parseOr(branches: Branch[], path: readonly string[]): void {
    const reader: PatternJsonReader = this.reader;
    const before = branches.map((branch) => new Map(branch));
    branches.length = 0;
    if (reader.nextToken() !== 'START_ARRAY') reader.fail(`It must be an Array followed with ${OR}.`);
    let count = 0;
    for (let token = reader.nextToken(); token !== 'END_ARRAY'; token = reader.nextToken()) {
      count += 1;
      if (token !== 'START_OBJECT')
        reader.fail(`Only JSON object is allowed in array of ${OR} relationship.`);
      const forked = before.map((branch) => new Map(branch));
      if (forked.length === 0) forked.push(new Map());
      this.parseObject(forked, path, true);
      branches.push(...forked);
    }
    if (count < 2) reader.fail(`There must have at least 2 Objects in ${OR} relationship.`);
  }

  private writeField(branches: Branch[], name: string): void {
    const reader: PatternJsonReader = this.reader;
    const matchers: Matcher[] = [];
    for (let token = reader.nextToken(); token !== 'END_ARRAY'; token = reader.nextToken()) {
      switch (token) {
        case 'START_OBJECT':
          matchers.push(this.matchExpression());
          break;
        case 'VALUE_STRING': {
          const text = reader.text();
          const address = parseIp(text);
          matchers.push(
            address ? { kind: 'address', range: singleAddress(address) } : { kind: 'exact', value: text },
          );
          break;
        }
        case 'VALUE_NUMBER_INT':
        case 'VALUE_NUMBER_FLOAT':
          // A number too precise to compare (an account id, say) is still matched as written.
          matchers.push({ kind: 'number', value: comparableNumber(reader.text()) ?? Number(reader.text()) });
          break;
        case 'VALUE_TRUE':
        case 'VALUE_FALSE':
        case 'VALUE_NULL':
          matchers.push({ kind: 'literal', value: token === 'VALUE_NULL' ? null : token === 'VALUE_TRUE' });
          break;
        default:
          reader.fail('Match value must be String, number, true, false, or null');
      }
    }
    if (matchers.length === 0) reader.fail('Empty arrays are not allowed');
    if (branches.length === 0) branches.push(new Map());
    // A field named twice keeps its last array, as event-ruler does.
    for (const branch of branches) branch.set(name, matchers);
  }

  private matchExpression(): Matcher {
    const reader: PatternJsonReader = this.reader;
    if (reader.nextToken() !== 'FIELD_NAME') reader.fail('Match expression name not found');
    const type = reader.currentName();
    switch (type) {
      case 'exactly':
        return this.stringOperand('exact match pattern must be a string', (value) => ({
          kind: 'exact',
          value,
        }));
      case 'prefix':
      case 'suffix':
        return this.affix(type);
      case 'equals-ignore-case':
        return this.stringOperand('equals-ignore-case match pattern must be a string', (value) => ({
          kind: 'equals-ignore-case',
          value,
          ignoreCase: true,
        }));
      case 'wildcard':
        return this.stringOperand('wildcard match pattern must be a string', (value) => ({
          kind: 'wildcard',
          test: this.wildcard(value),
        }));
      case 'numeric': {
        if (reader.nextToken() !== 'START_ARRAY') reader.fail('Value of numeric must be an array.');
        const range = this.numeric();
        if (reader.nextToken() !== 'END_OBJECT') this.tooManyElements();
        return range;
      }
      case 'anything-but':
        return this.anythingBut();
      case 'exists':
        return this.exists();
      case 'cidr':
        // event-ruler's own slip: a cidr that is not a string is reported as a prefix.
        return this.stringOperand('prefix match pattern must be a string', (value) => ({
          kind: 'cidr',
          range: argument(() => parseCidr(value)),
        }));
      default:
        return reader.fail(`Unrecognized match type ${type}`);
    }
  }

  private stringOperand(notString: string, build: (value: string) => Matcher): Matcher {
    const reader: PatternJsonReader = this.reader;
    if (reader.nextToken() !== 'VALUE_STRING') reader.fail(notString);
    const matcher = build(reader.text());
    if (reader.nextToken() !== 'END_OBJECT') reader.fail('Only one key allowed in match expression');
    return matcher;
  }

  private affix(kind: 'prefix' | 'suffix'): Matcher {
    const reader: PatternJsonReader = this.reader;
    const token = reader.nextToken();
    if (token === 'START_OBJECT') return this.affixIgnoringCase(kind);
    if (token !== 'VALUE_STRING') reader.fail(`${kind} match pattern must be a string`);
    const value = reader.text();
    if (reader.nextToken() !== 'END_OBJECT') reader.fail('Only one key allowed in match expression');
    return { kind, value, ignoreCase: false };
  }

  private affixIgnoringCase(kind: 'prefix' | 'suffix'): Matcher {
    const reader: PatternJsonReader = this.reader;
    const title = kind === 'prefix' ? 'Prefix' : 'Suffix';
    if (reader.nextToken() !== 'FIELD_NAME') reader.fail(`${title} expression name not found`);
    const operator = reader.currentName();
    if (operator !== 'equals-ignore-case') reader.fail(`Unsupported ${kind} pattern: ${operator}`);
    if (reader.nextToken() !== 'VALUE_STRING')
      reader.fail('equals-ignore-case match pattern must be a string');
    const value = reader.text();
    if (reader.nextToken() !== 'END_OBJECT') reader.fail('Only one key allowed in match expression');
    if (reader.nextToken() !== 'END_OBJECT') reader.fail('Only one key allowed in match expression');
    return { kind, value, ignoreCase: true };
  }

  private numeric(): Matcher {
    const reader: PatternJsonReader = this.reader;
    if (reader.nextToken() !== 'VALUE_STRING')
      reader.fail(`Invalid member in numeric match: ${reader.text()}`);
    const operator = reader.text();
    const token = reader.nextToken();
    try {
      switch (operator) {
        case '=': {
          if (!isNumeric(token)) reader.fail('Value of equals must be numeric');
          const value = reader.text();
          if (reader.nextToken() !== 'END_ARRAY') this.tooManyElements();
          return { kind: 'number', value: compare(value) };
        }
        case '>=':
        case '>': {
          if (!isNumeric(token)) reader.fail(`Value of ${operator} must be numeric`);
          const bottom = reader.text();
          const next = reader.nextToken();
          if (next === 'END_ARRAY')
            return { kind: 'range', bottom: { value: compare(bottom), open: operator === '>' } };
          return this.rangeTop(next, bottom, operator === '>');
        }
        case '<=':
        case '<': {
          if (!isNumeric(token)) reader.fail(`Value of ${operator} must be numeric`);
          const top = reader.text();
          if (reader.nextToken() !== 'END_ARRAY') this.tooManyElements();
          return { kind: 'range', top: { value: compare(top), open: operator === '<' } };
        }
        default:
          return reader.fail(`Unrecognized numeric range operator: ${operator}`);
      }
    } catch (error) {
      if (error instanceof PatternArgumentError) reader.fail(error.message);
      throw error;
    }
  }

  private rangeTop(token: Token | undefined, bottom: string, openBottom: boolean): Matcher {
    const reader: PatternJsonReader = this.reader;
    if (token !== 'VALUE_STRING') reader.fail(`Bad value in numeric range: ${reader.text()}`);
    const operator = reader.text();
    if (operator !== '<' && operator !== '<=') reader.fail(`Bad numeric range operator: ${operator}`);
    if (!isNumeric(reader.nextToken())) reader.fail(`Value of ${operator} must be numeric`);
    const top = reader.text();
    if (reader.nextToken() !== 'END_ARRAY') reader.fail('Too many terms in numeric range expression');
    const low = compare(bottom);
    const high = compare(top);
    if (low >= high) throw new PatternArgumentError('Bottom must be less than top');
    return {
      kind: 'range',
      bottom: { value: low, open: openBottom },
      top: { value: high, open: operator === '<' },
    };
  }

  private exists(): Matcher {
    const reader: PatternJsonReader = this.reader;
    const token = reader.nextToken();
    if (token !== 'VALUE_TRUE' && token !== 'VALUE_FALSE')
      reader.fail('exists match pattern must be either true or false.');
    if (reader.nextToken() !== 'END_OBJECT') reader.fail('Only one key allowed in match expression');
    return { kind: 'exists', value: token === 'VALUE_TRUE' };
  }

  private anythingBut(): Matcher {
    const reader: PatternJsonReader = this.reader;
    let kind: AnythingButKind = 'plain';
    let token = reader.nextToken();
    if (token === 'START_OBJECT') {
      if (reader.nextToken() !== 'FIELD_NAME') reader.fail('Anything-But expression name not found');
      const operator = reader.currentName();
      if (
        operator !== 'equals-ignore-case' &&
        operator !== 'prefix' &&
        operator !== 'suffix' &&
        operator !== 'wildcard'
      ) {
        reader.fail(`Unsupported anything-but pattern: ${operator}`);
      }
      kind = operator;
      token = reader.nextToken();
    }
    if (token !== 'START_ARRAY' && token !== 'VALUE_STRING' && !isNumeric(token)) {
      reader.fail('Value of anything-but must be an array or single string/number value.');
    }
    let matcher: Matcher;
    if (token === 'START_ARRAY')
      matcher =
        kind === 'plain' ? this.anythingButList() : this.anythingButSet(kind, this.listOfStrings(kind));
    else
      matcher =
        kind === 'plain'
          ? this.anythingButValue(token)
          : this.anythingButSet(kind, [this.oneString(kind, token)]);
    if (reader.nextToken() !== 'END_OBJECT') this.tooManyElements();
    if (kind !== 'plain' && reader.nextToken() !== 'END_OBJECT') this.tooManyElements();
    return matcher;
  }

  private anythingButValue(token: Token | undefined): Matcher {
    const reader: PatternJsonReader = this.reader;
    if (token === 'VALUE_STRING')
      return { kind: 'anything-but', strings: new Set([reader.text()]), numbers: [] };
    // Not caught by event-ruler here: the reason comes without a location.
    return { kind: 'anything-but', strings: new Set(), numbers: [compare(reader.text())] };
  }

  private anythingButList(): Matcher {
    const reader: PatternJsonReader = this.reader;
    const strings = new Set<string>();
    const numbers: number[] = [];
    this.rethrowingWithLocation(() => {
      for (let token = reader.nextToken(); token !== 'END_ARRAY'; token = reader.nextToken()) {
        if (token === 'VALUE_STRING') strings.add(reader.text());
        else if (isNumeric(token)) numbers.push(compare(reader.text()));
        else reader.fail('Inside anything but list, start|null|boolean is not supported.');
      }
    });
    if (strings.size > 0 === numbers.length > 0) {
      reader.fail(
        'Inside anything but list, either all values are number or string, mixed type is not supported',
      );
    }
    return { kind: 'anything-but', strings, numbers };
  }

  private listOfStrings(kind: AnythingButKind): string[] {
    const reader: PatternJsonReader = this.reader;
    const values: string[] = [];
    this.rethrowingWithLocation(() => {
      for (let token = reader.nextToken(); token !== 'END_ARRAY'; token = reader.nextToken())
        values.push(this.oneString(kind, token));
    });
    return values;
  }

  private oneString(kind: AnythingButKind, token: Token | undefined): string {
    const reader: PatternJsonReader = this.reader;
    if (token !== 'VALUE_STRING') {
      if (kind === 'equals-ignore-case')
        reader.fail(
          'Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.',
        );
      if (kind === 'wildcard') reader.fail('wildcard match pattern must be a string');
      reader.fail('prefix/suffix match pattern must be a string');
    }
    const text = reader.text();
    if ((kind === 'prefix' || kind === 'suffix') && text === '')
      reader.fail('Null prefix/suffix not allowed');
    return text;
  }

  private anythingButSet(kind: AnythingButKind, values: string[]): Matcher {
    switch (kind) {
      case 'wildcard':
        return { kind: 'anything-but-wildcard', tests: values.map((value) => this.wildcard(value)) };
      case 'equals-ignore-case':
        return { kind: 'anything-but-ignore-case', values };
      case 'prefix':
        return { kind: 'anything-but-prefix', values };
      default:
        return { kind: 'anything-but-suffix', values };
    }
  }

  private wildcard(value: string): WildcardMatcher {
    try {
      return compileWildcard(value);
    } catch (error) {
      return this.reader.fail((error as Error).message);
    }
  }

  // event-ruler wraps these loops in a catch that fails again with the caught message, so a
  // failure inside them carries its location twice.
  private rethrowingWithLocation(read: () => void): void {
    try {
      read();
    } catch (error) {
      if (error instanceof PatternJsonError || error instanceof PatternArgumentError)
        this.reader.fail(error.message);
      throw error;
    }
  }

  private tooManyElements(): never {
    return this.reader.fail('Too many elements in numeric expression');
  }
}

function compare(text: string): number {
  const value = comparableNumber(text);
  if (value === undefined) throw new PatternArgumentError(`Cannot compare number : ${text}`);
  return value;
}

function argument<T>(build: () => T): T {
  try {
    return build();
  } catch (error) {
    throw new PatternArgumentError((error as Error).message);
  }
}
