/**
 * Choice: the first rule that matches picks the next state, else Default. JSONPath rules
 * compare a Variable (a path into the input, `$$` or a variable) with a value or a second
 * path; JSONata rules have a Condition. A rule may carry its own Assign and (JSONata) Output.
 */
import { pathData, where, type StateRun } from '../context.ts';
import { effectiveInput, jsonata, stateOutput } from '../data-flow.ts';
import { StatesNoChoiceMatched, StatesQueryEvaluationError, StatesRuntime } from '../errors.ts';
import { select } from '../paths.ts';
import type { StateOutcome } from '../flow.ts';

type Rule = Record<string, unknown>;

export async function runChoice(run: StateRun): Promise<StateOutcome> {
  const { state } = run;
  const input = await effectiveInput(run, { parameters: false });
  const rules = (state.Choices as Rule[]) ?? [];
  for (const rule of rules) {
    if (await matches(run, rule, input)) {
      const output = await stateOutput(run, input, 'passthrough', rule.Assign, rule.Output);
      return { output, next: rule.Next as string };
    }
  }
  if (typeof state.Default !== 'string')
    throw new StatesNoChoiceMatched(
      `No Choice Rule matched and there is no Default in the Choice state '${run.name}'.`,
    );
  return { output: await stateOutput(run, input, 'passthrough'), next: state.Default };
}

async function matches(run: StateRun, rule: Rule, input: unknown): Promise<boolean> {
  if (run.language === 'JSONata') {
    const value = await jsonata(run, rule.Condition, 'Condition');
    if (typeof value !== 'boolean')
      throw new StatesQueryEvaluationError(
        `${where(run)}The Condition field of a Choice Rule must give a boolean, but gave ${JSON.stringify(value)}`,
      );
    return value;
  }
  return test(run, rule, input);
}

function test(run: StateRun, rule: Rule, input: unknown): boolean {
  if (Array.isArray(rule.And)) return (rule.And as Rule[]).every((r) => test(run, r, input));
  if (Array.isArray(rule.Or)) return (rule.Or as Rule[]).some((r) => test(run, r, input));
  if (rule.Not && typeof rule.Not === 'object') return !test(run, rule.Not as Rule, input);
  const data = pathData(run, input);
  const variable = String(rule.Variable);
  const selected = select(variable, data);
  if (rule.IsPresent !== undefined) return selected.found === rule.IsPresent;
  if (!selected.found)
    throw new StatesRuntime(
      `${where(run)}Invalid path '${variable}': The choice state's condition path references an invalid value.`,
    );
  const value = selected.value;
  for (const [key, expected] of Object.entries(rule)) {
    if (key === 'Variable' || key === 'Next' || key === 'Assign' || key === 'Comment') continue;
    if (key.startsWith('Is')) return typeTest(key, value) === expected;
    let operand = expected;
    let op = key;
    if (key.endsWith('Path')) {
      op = key.slice(0, -4);
      const other = select(String(expected), data);
      if (!other.found)
        throw new StatesRuntime(
          `${where(run)}Invalid path '${String(expected)}': The choice state's condition path references an invalid value.`,
        );
      operand = other.value;
    }
    return compare(op, value, operand);
  }
  return false;
}

function typeTest(test: string, value: unknown): boolean {
  switch (test) {
    case 'IsNull':
      return value === null;
    case 'IsNumeric':
      return typeof value === 'number';
    case 'IsString':
      return typeof value === 'string';
    case 'IsBoolean':
      return typeof value === 'boolean';
    case 'IsTimestamp':
      return typeof value === 'string' && isTimestamp(value);
    default:
      return false;
  }
}

function isTimestamp(text: string): boolean {
  return (
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(text) &&
    !Number.isNaN(Date.parse(text))
  );
}

function compare(op: string, value: unknown, operand: unknown): boolean {
  const kind = /^(String|Numeric|Boolean|Timestamp)(.*)$/.exec(op);
  if (!kind) return false;
  const [, family, relation] = kind;
  if (family === 'String') {
    if (typeof value !== 'string' || typeof operand !== 'string') return false;
    if (relation === 'Matches') return wildcard(operand).test(value);
    return relate(relation, value < operand ? -1 : value > operand ? 1 : 0);
  }
  if (family === 'Numeric') {
    if (typeof value !== 'number' || typeof operand !== 'number') return false;
    return relate(relation, Math.sign(value - operand));
  }
  if (family === 'Boolean') return typeof value === 'boolean' && relation === 'Equals' && value === operand;
  if (
    typeof value !== 'string' ||
    typeof operand !== 'string' ||
    !isTimestamp(value) ||
    !isTimestamp(operand)
  )
    return false;
  return relate(relation, Math.sign(Date.parse(value) - Date.parse(operand)));
}

function relate(relation: string, order: number): boolean {
  switch (relation) {
    case 'Equals':
      return order === 0;
    case 'LessThan':
      return order < 0;
    case 'GreaterThan':
      return order > 0;
    case 'LessThanEquals':
      return order <= 0;
    case 'GreaterThanEquals':
      return order >= 0;
    default:
      return false;
  }
}

/** StringMatches: `*` matches any run of characters; `\*` and `\\` are literal. */
function wildcard(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\' && (pattern[i + 1] === '*' || pattern[i + 1] === '\\')) source += `\\${pattern[++i]}`;
    else if (c === '*') source += '.*';
    else source += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 's');
}
