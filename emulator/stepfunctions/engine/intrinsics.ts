/**
 * The intrinsic functions of JSONPath states (`"x.$": "States.Format('{}', $.a)"`): a parser
 * for their call syntax and the eighteen functions with AWS's edge behaviour (MathAdd rounds
 * halves up as Java does, StringSplit splits on any of the delimiter characters and drops
 * empty pieces, ArrayRange stops at 1000 items, Hash knows AWS's five algorithms...). A call
 * on arguments a function cannot take fails with States.IntrinsicFailure.
 */
import { createHash, randomUUID } from 'node:crypto';
import { mulberry32 } from '../../core/random.ts';
import { StatesIntrinsicFailure, StatesRuntime } from './errors.ts';
import { select, type PathData } from './paths.ts';

export type Arg =
  { kind: 'literal'; value: unknown } | { kind: 'path'; path: string } | { kind: 'call'; call: Call };
export interface Call {
  name: string;
  args: Arg[];
  text: string;
}

/** Names and argument counts AWS accepts (min, max). */
export const INTRINSICS: Record<string, [number, number]> = {
  'States.Format': [1, Infinity],
  'States.StringToJson': [1, 1],
  'States.JsonToString': [1, 1],
  'States.Array': [0, Infinity],
  'States.ArrayPartition': [2, 2],
  'States.ArrayContains': [2, 2],
  'States.ArrayRange': [3, 3],
  'States.ArrayGetItem': [2, 2],
  'States.ArrayLength': [1, 1],
  'States.ArrayUnique': [1, 1],
  'States.Base64Encode': [1, 1],
  'States.Base64Decode': [1, 1],
  'States.Hash': [2, 2],
  'States.JsonMerge': [3, 3],
  'States.MathRandom': [2, 3],
  'States.MathAdd': [2, 2],
  'States.StringSplit': [2, 2],
  'States.UUID': [0, 0],
};

export function isIntrinsic(text: string): boolean {
  return /^States\.[A-Za-z0-9]+\s*\(/.test(text.trim());
}

/** Parses a call; throws an Error saying what is wrong (the definition check reports it). */
export function parseIntrinsic(text: string): Call {
  const p = new Parser(text);
  const call = p.call();
  p.skip();
  if (!p.done()) throw new Error(`unexpected '${text.slice(p.pos)}' after the call`);
  return call;
}

class Parser {
  pos = 0;
  constructor(readonly text: string) {}
  done(): boolean {
    return this.pos >= this.text.length;
  }
  skip(): void {
    while (!this.done() && /\s/.test(this.text[this.pos])) this.pos++;
  }
  call(): Call {
    this.skip();
    const start = this.pos;
    const m = /^States\.[A-Za-z0-9]+/.exec(this.text.slice(this.pos));
    if (!m) throw new Error(`expected an intrinsic function at '${this.text.slice(this.pos)}'`);
    const name = m[0];
    if (!INTRINSICS[name]) throw new Error(`unknown intrinsic function ${name}`);
    this.pos += name.length;
    this.skip();
    if (this.text[this.pos] !== '(') throw new Error(`expected '(' after ${name}`);
    this.pos++;
    const args: Arg[] = [];
    this.skip();
    if (this.text[this.pos] === ')') this.pos++;
    else {
      for (;;) {
        args.push(this.arg());
        this.skip();
        const c = this.text[this.pos++];
        if (c === ')') break;
        if (c !== ',') throw new Error(`expected ',' or ')' in ${name}`);
      }
    }
    const [min, max] = INTRINSICS[name];
    if (args.length < min || args.length > max)
      throw new Error(
        `${name} takes ${min === max ? min : max === Infinity ? `at least ${min}` : `${min} to ${max}`} argument(s), not ${args.length}`,
      );
    return { name, args, text: this.text.slice(start, this.pos) };
  }
  arg(): Arg {
    this.skip();
    const rest = this.text.slice(this.pos);
    if (rest.startsWith("'")) return { kind: 'literal', value: this.string() };
    if (rest.startsWith('States.')) return { kind: 'call', call: this.call() };
    if (rest.startsWith('$')) {
      // A path runs to the next top-level ',' or ')' (brackets and quotes may hold either).
      let depth = 0;
      let quote: string | undefined;
      let i = this.pos;
      for (; i < this.text.length; i++) {
        const c = this.text[i];
        if (quote) {
          if (c === quote) quote = undefined;
        } else if (c === "'" || c === '"') quote = c;
        else if (c === '[' || c === '(') depth++;
        else if (c === ']' || c === ')') {
          if (depth === 0) break;
          depth--;
        } else if (c === ',' && depth === 0) break;
      }
      const path = this.text.slice(this.pos, i).trim();
      this.pos = i;
      return { kind: 'path', path };
    }
    const literal = /^(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(rest);
    if (!literal) throw new Error(`cannot read the argument '${rest}'`);
    this.pos += literal[0].length;
    return { kind: 'literal', value: JSON.parse(literal[0]) };
  }
  string(): string {
    let out = '';
    this.pos++;
    while (!this.done()) {
      const c = this.text[this.pos++];
      if (c === '\\') {
        // \' \{ \} \\ keep the escaped character; other escapes keep the backslash for Format.
        const n = this.text[this.pos++];
        out += n === "'" || n === '\\' ? n : `\\${n}`;
      } else if (c === "'") return out;
      else out += c;
    }
    throw new Error('a string argument is not closed');
  }
}

/** Evaluates a parsed call against the state's data. */
export function evaluateIntrinsic(call: Call, data: PathData, field: string): unknown {
  const args = call.args.map((a) => argValue(a, data, field));
  const fail = (why: string) => new StatesIntrinsicFailure(`Invalid arguments in ${call.name}: ${why}`);
  return FUNCTIONS[call.name](args, fail);
}

function argValue(arg: Arg, data: PathData, field: string): unknown {
  if (arg.kind === 'literal') return arg.value;
  if (arg.kind === 'call') return evaluateIntrinsic(arg.call, data, field);
  const selection = select(arg.path, data);
  if (!selection.found)
    throw new StatesRuntime(
      `The JSONPath '${arg.path}' specified for the field '${field}' could not be found in the input '${JSON.stringify(data.input)}'`,
    );
  return selection.value;
}

type Fail = (why: string) => Error;
const MAX_TEXT = 10_000;
const MAX_ARRAY = 1000;
const HASHES: Record<string, string> = {
  MD5: 'md5',
  'SHA-1': 'sha1',
  'SHA-256': 'sha256',
  'SHA-384': 'sha384',
  'SHA-512': 'sha512',
};

const FUNCTIONS: Record<string, (args: unknown[], fail: Fail) => unknown> = {
  'States.Format': ([template, ...values], fail) => {
    if (typeof template !== 'string') throw fail('the template must be a string');
    const pieces = splitTemplate(template);
    if (pieces.length - 1 !== values.length)
      throw fail(`the template has ${pieces.length - 1} placeholder(s) for ${values.length} argument(s)`);
    return pieces.reduce((out, piece, i) => out + piece + (i < values.length ? literal(values[i]) : ''), '');
  },
  'States.StringToJson': ([text], fail) => {
    if (typeof text !== 'string') throw fail('the argument must be a string');
    // AWS (Jackson) reads an empty or blank string as null.
    if (text.trim() === '') return null;
    try {
      return JSON.parse(text);
    } catch {
      throw fail(`'${text}' is not JSON`);
    }
  },
  'States.JsonToString': ([value]) => JSON.stringify(value),
  'States.Array': (args) => args,
  'States.ArrayPartition': ([array, size], fail) => {
    if (!Array.isArray(array)) throw fail('the first argument must be an array');
    if (typeof size !== 'number' || !Number.isInteger(size) || size <= 0)
      throw fail('the chunk size must be a positive integer');
    const out: unknown[][] = [];
    for (let i = 0; i < array.length; i += size) out.push(array.slice(i, i + size));
    return out;
  },
  'States.ArrayContains': ([array, value], fail) => {
    if (!Array.isArray(array)) throw fail('the first argument must be an array');
    return array.some((item) => deepEqual(item, value));
  },
  'States.ArrayRange': ([start, end, step], fail) => {
    if (![start, end, step].every((n) => typeof n === 'number'))
      throw fail('start, end and step must be numbers');
    const [a, b, s] = [start, end, step].map((n) => Math.round(n as number));
    if (s === 0) throw fail('the step must not be 0');
    const count = Math.floor((b - a) / s) + 1;
    if (count > MAX_ARRAY) throw fail(`the range has ${count} items, more than ${MAX_ARRAY}`);
    const out: number[] = [];
    for (let i = 0; i < count; i++) out.push(a + i * s);
    return out;
  },
  'States.ArrayGetItem': ([array, index], fail) => {
    if (!Array.isArray(array)) throw fail('the first argument must be an array');
    if (typeof index !== 'number' || !Number.isInteger(index) || index < 0)
      throw fail('the index must be a non-negative integer');
    if (index >= array.length)
      throw fail(`the index ${index} is out of bounds for an array of ${array.length}`);
    return array[index];
  },
  'States.ArrayLength': ([array], fail) => {
    if (!Array.isArray(array)) throw fail('the argument must be an array');
    return array.length;
  },
  'States.ArrayUnique': ([array], fail) => {
    if (!Array.isArray(array)) throw fail('the argument must be an array');
    const out: unknown[] = [];
    for (const item of array) if (!out.some((o) => deepEqual(o, item))) out.push(item);
    return out;
  },
  'States.Base64Encode': ([text], fail) => {
    if (typeof text !== 'string') throw fail('the argument must be a string');
    if (text.length > MAX_TEXT) throw fail(`the input is longer than ${MAX_TEXT} characters`);
    return Buffer.from(text, 'utf8').toString('base64');
  },
  'States.Base64Decode': ([text], fail) => {
    if (typeof text !== 'string') throw fail('the argument must be a string');
    if (text.length > MAX_TEXT) throw fail(`the input is longer than ${MAX_TEXT} characters`);
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) throw fail(`'${text}' is not base64`);
    return Buffer.from(text, 'base64').toString('utf8');
  },
  'States.Hash': ([data, algorithm], fail) => {
    if (typeof algorithm !== 'string' || !HASHES[algorithm])
      throw fail(`the algorithm must be one of ${Object.keys(HASHES).join(', ')}`);
    const text = typeof data === 'string' ? data : JSON.stringify(data);
    if (text.length > MAX_TEXT) throw fail(`the input is longer than ${MAX_TEXT} characters`);
    return createHash(HASHES[algorithm]).update(text, 'utf8').digest('hex');
  },
  'States.JsonMerge': ([a, b, deep], fail) => {
    if (!isObject(a) || !isObject(b)) throw fail('both arguments must be JSON objects');
    if (deep !== false) throw fail('only the shallow merge is supported: the third argument must be false');
    return { ...a, ...b };
  },
  'States.MathRandom': ([start, end, seed], fail) => {
    if (typeof start !== 'number' || typeof end !== 'number') throw fail('start and end must be numbers');
    const [a, b] = [Math.round(start), Math.round(end)];
    if (b <= a) throw fail('end must be greater than start');
    // The end is exclusive, as AWS documents; a seed makes the number repeatable.
    const r = seed === undefined ? Math.random() : seededRandom(Number(seed));
    return a + Math.floor(r * (b - a));
  },
  'States.MathAdd': ([a, b], fail) => {
    if (typeof a !== 'number' || typeof b !== 'number') throw fail('both arguments must be numbers');
    // A non-integer is rounded to the nearest integer, halves up (Java's Math.round, as is JavaScript's).
    return Math.round(a) + Math.round(b);
  },
  'States.StringSplit': ([text, delimiters], fail) => {
    if (typeof text !== 'string' || typeof delimiters !== 'string')
      throw fail('both arguments must be strings');
    // Each character of the second argument is a delimiter; empty pieces are dropped.
    const set = new Set([...delimiters]);
    const out: string[] = [];
    let piece = '';
    for (const c of text) {
      if (set.has(c)) {
        if (piece) out.push(piece);
        piece = '';
      } else piece += c;
    }
    if (piece) out.push(piece);
    return out;
  },
  'States.UUID': () => randomUUID(),
};

/** The template's text around its `{}` placeholders; `\{` and `\}` are literal braces. */
function splitTemplate(template: string): string[] {
  const pieces: string[] = [];
  let current = '';
  for (let i = 0; i < template.length; i++) {
    const c = template[i];
    if (c === '\\' && (template[i + 1] === '{' || template[i + 1] === '}')) {
      current += template[++i];
    } else if (c === '{' && template[i + 1] === '}') {
      pieces.push(current);
      current = '';
      i++;
    } else current += c;
  }
  pieces.push(current);
  return pieces;
}

/** How Format prints a value: strings as they are, anything else as JSON. */
function literal(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** A number in [0, 1) from a seed: the same seed, the same number. */
function seededRandom(seed: number): number {
  return mulberry32(Math.trunc(seed))();
}
