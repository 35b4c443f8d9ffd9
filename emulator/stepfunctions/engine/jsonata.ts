/**
 * JSONata in Step Functions: any string of the form `{% expression %}`, anywhere in a field
 * AWS evaluates (Arguments, Output, Assign, Items, ItemSelector, Condition, Seconds...), is
 * evaluated with the `jsonata` package (the reference implementation) with `$states` (input,
 * result, errorOutput, context) and the workflow variables bound, plus the functions Step
 * Functions adds ($partition, $range, $hash, $random with a seed, $uuid, $parse). `$eval`
 * is disabled, as on AWS. Failures are States.QueryEvaluationError.
 */
import { createHash, randomUUID } from 'node:crypto';
import jsonata from 'jsonata';
import { StatesQueryEvaluationError } from './errors.ts';

export interface JsonataData {
  states: { input: unknown; result?: unknown; errorOutput?: unknown; context: unknown };
  variables: Record<string, unknown>;
}

const EXPRESSION = /^\{%([\s\S]*)%\}$/;

export function isExpression(value: unknown): value is string {
  return typeof value === 'string' && EXPRESSION.test(value);
}

/** The expression inside `{% %}`. */
export function expressionOf(value: string): string {
  return (EXPRESSION.exec(value)?.[1] ?? '').trim();
}

const compiled = new Map<string, jsonata.Expression>();
const COMPILED_MEMORY = 2000;

/** Compiles (once) an expression; throws jsonata's error for bad syntax. */
export function compile(expression: string): jsonata.Expression {
  let expr = compiled.get(expression);
  if (!expr) {
    expr = jsonata(expression);
    registerStepFunctionsFunctions(expr);
    compiled.set(expression, expr);
    if (compiled.size > COMPILED_MEMORY) compiled.delete(compiled.keys().next().value as string);
  }
  return expr;
}

/** Evaluates one `{% %}` string; `field` names where it sits, for AWS's error causes. */
export async function evaluateExpression(text: string, data: JsonataData, field: string): Promise<unknown> {
  const expression = expressionOf(text);
  let value: unknown;
  try {
    value = await compile(expression).evaluate({}, { ...data.variables, states: data.states });
  } catch (err) {
    const e = err as { code?: string; message?: string };
    throw new StatesQueryEvaluationError(
      `The JSONata expression '${expression}' specified for the field '${field}' threw an error during evaluation. ${e.code ? `${e.code}: ` : ''}${e.message ?? String(err)}`,
    );
  }
  if (value === undefined)
    throw new StatesQueryEvaluationError(
      `The JSONata expression '${expression}' specified for the field '${field}' returned nothing (undefined).`,
    );
  if (typeof value === 'function')
    throw new StatesQueryEvaluationError(
      `The JSONata expression '${expression}' specified for the field '${field}' returned an unsupported result type.`,
    );
  return plain(value);
}

/**
 * Evaluates a template: strings that are `{% %}` expressions are evaluated, objects and
 * arrays are walked; an object member whose expression gives nothing is left out (as AWS does).
 */
export async function evaluateTemplate(
  template: unknown,
  data: JsonataData,
  field: string,
): Promise<unknown> {
  if (isExpression(template)) return evaluateExpression(template, data, field);
  if (Array.isArray(template)) {
    const out: unknown[] = [];
    for (let i = 0; i < template.length; i++)
      out.push(await evaluateTemplate(template[i], data, `${field}[${i}]`));
    return out;
  }
  if (template !== null && typeof template === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(template)) {
      try {
        out[key] = await evaluateTemplate(value, data, `${field}.${key}`);
      } catch (err) {
        if (
          err instanceof StatesQueryEvaluationError &&
          isExpression(value) &&
          /returned nothing \(undefined\)\.$/.test(err.errorCause)
        )
          continue;
        throw err;
      }
    }
    return out;
  }
  return template;
}

/** jsonata gives arrays with extra properties (sequences) and may give -0: plain JSON values. */
function plain(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value));
}

function registerStepFunctionsFunctions(expr: jsonata.Expression): void {
  expr.registerFunction(
    'partition',
    (array: unknown[], size: number) => {
      if (!Array.isArray(array) || !Number.isInteger(size) || size <= 0)
        throw {
          code: 'States.QueryEvaluationError',
          message: '$partition takes an array and a positive integer size',
        };
      const out: unknown[][] = [];
      for (let i = 0; i < array.length; i += size) out.push(array.slice(i, i + size));
      return out;
    },
    '<an:a>',
  );
  expr.registerFunction(
    'range',
    (start: number, end: number, step: number) => {
      // AWS truncates non-integers towards zero; the end is included when a step lands on it.
      const [a, b, s] = [start, end, step].map(Math.trunc);
      if (s === 0) throw { code: 'States.QueryEvaluationError', message: '$range needs a step other than 0' };
      const out: number[] = [];
      for (let v = a; s > 0 ? v <= b : v >= b; v += s) out.push(v);
      return out;
    },
    '<nnn:a>',
  );
  expr.registerFunction(
    'hash',
    (data: unknown, algorithm: string) => {
      const algorithms: Record<string, string> = {
        MD5: 'md5',
        'SHA-1': 'sha1',
        'SHA-256': 'sha256',
        'SHA-384': 'sha384',
        'SHA-512': 'sha512',
      };
      if (!algorithms[algorithm])
        throw {
          code: 'States.QueryEvaluationError',
          message: `$hash takes one of ${Object.keys(algorithms).join(', ')}`,
        };
      return createHash(algorithms[algorithm])
        .update(typeof data === 'string' ? data : JSON.stringify(data), 'utf8')
        .digest('hex');
    },
    '<js:s>',
  );
  expr.registerFunction(
    'random',
    (seed?: number) => (seed === undefined ? Math.random() : javaRandomDouble(seed)),
    '<n?:n>',
  );
  expr.registerFunction('uuid', () => randomUUID(), '<:s>');
  expr.registerFunction(
    'parse',
    (text: string) => {
      try {
        return JSON.parse(text);
      } catch {
        throw { code: 'States.QueryEvaluationError', message: `$parse could not read '${text}' as JSON` };
      }
    },
    '<s:j>',
  );
  expr.registerFunction(
    'eval',
    () => {
      throw { code: 'T1006', message: 'Attempted to invoke a non-function' };
    },
    '<x*:x>',
  );
}

/** java.util.Random(seed).nextDouble(): AWS's $random(seed) gives the same number. */
function javaRandomDouble(seed: number): number {
  const mask = (1n << 48n) - 1n;
  let s = (BigInt(Math.trunc(seed)) ^ 0x5deece66dn) & mask;
  const next = (bits: bigint): bigint => {
    s = (s * 0x5deece66dn + 0xbn) & mask;
    return s >> (48n - bits);
  };
  const hi = next(26n);
  const lo = next(27n);
  return Number((hi << 27n) + lo) / 2 ** 53;
}
