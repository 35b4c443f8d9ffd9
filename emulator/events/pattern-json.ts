/**
 * A pull reader for the JSON text of an event pattern that reports errors the way EventBridge
 * does. EventBridge compiles patterns with AWS's event-ruler, which reads them token by token
 * with Jackson; every complaint ends with Jackson's location of the reader at that moment:
 *
 *   Event pattern is not valid. Reason: "source" must be an object or an array
 *    at [Source: (String)"{"source":"aws.ec2"}"; line: 1, column: 12]
 *
 * To give the same column, this reader moves exactly as Jackson's does: a token is consumed
 * up to its first character, except numbers and literals (read whole); a string's content is
 * read only when its text is asked for; after a field name the reader has already looked at
 * the first character of the value.
 */
export type Token =
  | 'START_OBJECT'
  | 'END_OBJECT'
  | 'START_ARRAY'
  | 'END_ARRAY'
  | 'FIELD_NAME'
  | 'VALUE_STRING'
  | 'VALUE_NUMBER_INT'
  | 'VALUE_NUMBER_FLOAT'
  | 'VALUE_TRUE'
  | 'VALUE_FALSE'
  | 'VALUE_NULL';

/** A syntax or pattern error; `message` already carries Jackson's location suffix. */
export class PatternJsonError extends Error {}

export function isNumeric(token: Token | undefined): boolean {
  return token === 'VALUE_NUMBER_INT' || token === 'VALUE_NUMBER_FLOAT';
}

export class PatternJsonReader {
  private ptr = 0;
  private row = 1;
  private rowStart = 0;
  private current: Token | undefined;
  private pending: Token | undefined;
  private stringIncomplete = false;
  private stringValue = '';
  private numberText = '';
  private readonly contexts: Context[] = [{ kind: 'root', index: -1, name: undefined, line: 1, column: 0 }];

  constructor(private readonly source: string) {}

  /** The next token, or undefined at the end of the input. */
  nextToken(): Token | undefined {
    if (this.current === 'FIELD_NAME') return this.afterName();
    if (this.stringIncomplete) this.finishString();
    let c = this.skipWhitespaceOrEnd();
    if (c === undefined) {
      const context = this.context();
      if (context.kind !== 'root') {
        const marker = context.kind === 'object' ? 'Object' : 'Array';
        this.fail(
          `Unexpected end-of-input: expected close marker for ${marker} (start marker at ${this.describe(context.line, context.column)})`,
        );
      }
      this.current = undefined;
      return undefined;
    }
    if (c === ']' || c === '}') return this.closeScope(c);
    const context = this.context();
    context.index += 1;
    if (context.kind !== 'root' && context.index > 0) c = this.skipComma(c);
    const inObject = context.kind === 'object';
    if (inObject) {
      if (c !== '"') this.unexpected(c, 'was expecting double-quote to start field name');
      context.name = this.readStringBody('Unexpected end-of-input in field name');
      this.current = 'FIELD_NAME';
      c = this.skipColon();
    }
    const token = this.startValue(c, !inObject);
    if (inObject) {
      this.pending = token;
      return this.current;
    }
    this.current = token;
    return token;
  }

  /** Jackson's getText(): the decoded string, the number as written, a literal, a field name or a marker. */
  text(): string {
    switch (this.current) {
      case 'VALUE_STRING':
        if (this.stringIncomplete) this.finishString();
        return this.stringValue;
      case 'FIELD_NAME':
        return this.context().name ?? '';
      case 'VALUE_NUMBER_INT':
      case 'VALUE_NUMBER_FLOAT':
        return this.numberText;
      case 'VALUE_TRUE':
        return 'true';
      case 'VALUE_FALSE':
        return 'false';
      case 'VALUE_NULL':
        return 'null';
      case 'START_OBJECT':
        return '{';
      case 'END_OBJECT':
        return '}';
      case 'START_ARRAY':
        return '[';
      case 'END_ARRAY':
        return ']';
      default:
        // Java concatenates a null text as "null".
        return 'null';
    }
  }

  /** The name of the field whose value is being read. */
  currentName(): string {
    return this.context().name ?? '';
  }

  /** Throws `message` with the reader's location, as ruler's barf() does. */
  fail(message: string): never {
    throw new PatternJsonError(this.withLocation(message));
  }

  /** `message` followed by Jackson's "\n at [Source: ...]" suffix for the current position. */
  withLocation(message: string, back = 0): string {
    return `${message}\n at ${this.describe(this.row, this.ptr - back - this.rowStart + 1)}`;
  }

  private describe(line: number, column: number): string {
    return `[Source: ${sourceSnippet(this.source)}; line: ${line}, column: ${column}]`;
  }

  private context(): Context {
    return this.contexts[this.contexts.length - 1];
  }

  private afterName(): Token | undefined {
    const token = this.pending;
    this.pending = undefined;
    if (token === 'START_ARRAY') this.push('array');
    if (token === 'START_OBJECT') this.push('object');
    this.current = token;
    return token;
  }

  private push(kind: 'object' | 'array'): void {
    // Jackson remembers where the container started for its end-of-input message.
    this.contexts.push({
      kind,
      index: -1,
      name: undefined,
      line: this.row,
      column: this.ptr - this.rowStart,
    });
  }

  private closeScope(c: string): Token {
    const context = this.context();
    if (c === '}' && context.kind !== 'object') this.mismatchedEnd(c, ']');
    if (c === ']' && context.kind !== 'array') this.mismatchedEnd(c, '}');
    this.contexts.pop();
    this.current = c === '}' ? 'END_OBJECT' : 'END_ARRAY';
    return this.current;
  }

  private mismatchedEnd(actual: string, expected: string): never {
    const context = this.context();
    const desc = context.kind === 'object' ? 'Object' : context.kind === 'array' ? 'Array' : 'root';
    return this.fail(
      `Unexpected close marker '${actual}': expected '${expected}' (for ${desc} starting at ${this.describe(context.line, context.column)})`,
    );
  }

  private startValue(c: string, pushContainer: boolean): Token {
    switch (c) {
      case '"':
        this.stringIncomplete = true;
        return 'VALUE_STRING';
      case '[':
        if (pushContainer) this.push('array');
        return 'START_ARRAY';
      case '{':
        if (pushContainer) this.push('object');
        return 'START_OBJECT';
      case ']':
      case '}':
        return this.unexpected(c, 'expected a value');
      case 't':
        this.matchLiteral('true');
        return 'VALUE_TRUE';
      case 'f':
        this.matchLiteral('false');
        return 'VALUE_FALSE';
      case 'n':
        this.matchLiteral('null');
        return 'VALUE_NULL';
      default:
        if (c === '-' || isDigit(c)) return this.readNumber(c);
        if (isIdentifierStart(c)) return this.invalidToken(c);
        return this.unexpected(
          c,
          "expected a valid value (JSON String, Number, Array, Object or token 'null', 'true' or 'false')",
        );
    }
  }

  private readNumber(first: string): Token {
    const start = this.ptr - 1;
    let c: string | undefined = first;
    if (c === '-') {
      c = this.source[this.ptr];
      if (c === undefined || !isDigit(c))
        return this.numberError(c, 'expected digit (0-9) to follow minus sign, for valid numeric value');
      this.ptr += 1;
    }
    if (c === '0' && isDigit(this.source[this.ptr] ?? ''))
      this.fail('Invalid numeric value: Leading zeroes not allowed');
    while (isDigit(this.source[this.ptr] ?? '')) this.ptr += 1;
    let float = false;
    if (this.source[this.ptr] === '.') {
      float = true;
      this.ptr += 1;
      if (!isDigit(this.source[this.ptr] ?? ''))
        return this.numberError(this.source[this.ptr], 'Decimal point not followed by a digit');
      while (isDigit(this.source[this.ptr] ?? '')) this.ptr += 1;
    }
    if (this.source[this.ptr] === 'e' || this.source[this.ptr] === 'E') {
      float = true;
      this.ptr += 1;
      if (this.source[this.ptr] === '+' || this.source[this.ptr] === '-') this.ptr += 1;
      if (!isDigit(this.source[this.ptr] ?? ''))
        return this.numberError(this.source[this.ptr], 'Exponent indicator not followed by a digit');
      while (isDigit(this.source[this.ptr] ?? '')) this.ptr += 1;
    }
    this.numberText = this.source.slice(start, this.ptr);
    return float ? 'VALUE_NUMBER_FLOAT' : 'VALUE_NUMBER_INT';
  }

  private numberError(c: string | undefined, comment: string): never {
    if (c === undefined) this.fail('Unexpected end-of-input in a Number value');
    this.ptr += 1;
    return this.fail(`Unexpected character (${charDescription(c)}) in numeric value: ${comment}`);
  }

  private matchLiteral(word: string): void {
    for (let i = 1; i < word.length; i++) {
      if (this.source[this.ptr] !== word[i]) this.invalidToken(word.slice(0, i));
      this.ptr += 1;
    }
    const next = this.source[this.ptr];
    if (next !== undefined && isIdentifierPart(next)) this.invalidToken(word);
  }

  private invalidToken(matched: string): never {
    let token = matched;
    while (this.ptr < this.source.length && token.length < 256 && isIdentifierPart(this.source[this.ptr])) {
      token += this.source[this.ptr];
      this.ptr += 1;
    }
    return this.fail(
      `Unrecognized token '${token}': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')`,
    );
  }

  private finishString(): void {
    this.stringIncomplete = false;
    this.stringValue = this.readStringBody(
      'Unexpected end-of-input: was expecting closing quote for a string value',
    );
  }

  /** Reads after an opening quote up to and including the closing one. */
  private readStringBody(endOfInputMessage: string): string {
    let value = '';
    for (;;) {
      const c = this.source[this.ptr];
      if (c === undefined) this.fail(endOfInputMessage);
      this.ptr += 1;
      if (c === '"') return value;
      if (c === '\\') {
        value += this.readEscape();
        continue;
      }
      if (c < ' ')
        this.fail(
          `Illegal unquoted character (${charDescription(c)}): has to be escaped using backslash to be included in string value`,
        );
      value += c;
    }
  }

  private readEscape(): string {
    const c = this.source[this.ptr];
    if (c === undefined) this.fail('Unexpected end-of-input in character escape sequence');
    this.ptr += 1;
    const simple: Record<string, string> = {
      '"': '"',
      '\\': '\\',
      '/': '/',
      b: '\b',
      f: '\f',
      n: '\n',
      r: '\r',
      t: '\t',
    };
    if (c in simple) return simple[c];
    if (c !== 'u') this.fail(`Unrecognized character escape ${charDescription(c)}`);
    let code = 0;
    for (let i = 0; i < 4; i++) {
      const h = this.source[this.ptr];
      if (h === undefined) this.fail('Unexpected end-of-input in character escape sequence');
      this.ptr += 1;
      const digit = parseInt(h, 16);
      if (Number.isNaN(digit))
        this.fail(
          `Unexpected character (${charDescription(h)}): expected a hex-digit for character escape sequence`,
        );
      code = code * 16 + digit;
    }
    return String.fromCharCode(code);
  }

  private skipComma(c: string): string {
    if (c !== ',')
      this.unexpected(
        c,
        `was expecting comma to separate ${this.context().kind === 'object' ? 'Object' : 'Array'} entries`,
      );
    const next = this.skipWhitespaceOrEnd();
    if (next === undefined)
      this.fail(
        `Unexpected end-of-input within/between ${this.context().kind === 'object' ? 'Object' : 'Array'} entries`,
      );
    return next;
  }

  private skipColon(): string {
    const c = this.skipWhitespaceOrEnd();
    if (c === undefined) this.fail('Unexpected end-of-input within/between Object entries');
    if (c !== ':') this.unexpected(c, 'was expecting a colon to separate field name and value');
    const next = this.skipWhitespaceOrEnd();
    if (next === undefined) this.fail('Unexpected end-of-input within/between Object entries');
    return next;
  }

  /** The next non-blank character, consumed, or undefined at the end. */
  private skipWhitespaceOrEnd(): string | undefined {
    while (this.ptr < this.source.length) {
      const c = this.source[this.ptr];
      this.ptr += 1;
      if (c === ' ' || c === '\t') continue;
      if (c === '\n') {
        this.newLine();
        continue;
      }
      if (c === '\r') {
        if (this.source[this.ptr] === '\n') this.ptr += 1;
        this.newLine();
        continue;
      }
      return c;
    }
    return undefined;
  }

  private newLine(): void {
    this.row += 1;
    this.rowStart = this.ptr;
  }

  // AWS reports an unexpected character at its own column, not after it
  // ("{'bad': 1}" fails at column 2).
  private unexpected(c: string, comment: string): never {
    throw new PatternJsonError(
      this.withLocation(`Unexpected character (${charDescription(c)}): ${comment}`, 1),
    );
  }
}

interface Context {
  kind: 'root' | 'object' | 'array';
  /** Jackson's entry index: -1 before the first entry. */
  index: number;
  name: string | undefined;
  line: number;
  column: number;
}

// Jackson quotes at most 500 characters of the source in a location.
const SNIPPET_LIMIT = 500;

function sourceSnippet(source: string): string {
  if (source.length <= SNIPPET_LIMIT) return `(String)"${source}"`;
  return `(String)"${source.slice(0, SNIPPET_LIMIT)}"[truncated ${source.length - SNIPPET_LIMIT} chars]`;
}

function charDescription(c: string): string {
  const code = c.charCodeAt(0);
  if (code < 32 || (code >= 127 && code < 160)) return `(CTRL-CHAR, code ${code})`;
  if (code > 255) return `'${c}' (code ${code} / 0x${code.toString(16)})`;
  return `'${c}' (code ${code})`;
}

function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}

// Java's Character.isJavaIdentifierStart/Part, close enough for the characters people type.
function isIdentifierStart(c: string): boolean {
  return /[\p{L}\p{Nl}$_]/u.test(c);
}

function isIdentifierPart(c: string): boolean {
  return /[\p{L}\p{Nl}\p{Nd}\p{Mn}\p{Mc}\p{Pc}$_]/u.test(c);
}
