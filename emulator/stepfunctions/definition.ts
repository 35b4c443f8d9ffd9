import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { apiErrors } from './errors.ts';
import { classifyResource, type TaskResource } from './resources.ts';

/**
 * A state machine definition, checked the way CreateStateMachine checks it (with
 * aws-local-stepfunctions' validation, reported in AWS's words), and prepared for running:
 * every state known by name with the Map/Parallel scopes it sits in, every Task with what
 * its Resource means, and a copy of the definition adjusted for the engine.
 */
export interface ParsedDefinition {
  /** The definition as DescribeStateMachine returns it. */
  text: string;
  definition: AslDefinition;
  /** What aws-local-stepfunctions runs (see `forEngine`). */
  runnable: StateMachineDefinition;
  states: Map<string, StateInfo>;
}

export interface StateInfo {
  name: string;
  type: string;
  state: AslState;
  /** Enclosing Parallel branches and Map iterators, outermost first. */
  scopes: Scope[];
  /** For a Task: what its resource is, undefined when the local cloud cannot run it. */
  resource?: TaskResource;
}

export type Scope = { kind: 'parallel'; state: string; branch: number } | { kind: 'map'; state: string };

export type AslState = { Type: string } & Record<string, unknown>;
export interface AslDefinition {
  StartAt: string;
  States: Record<string, AslState>;
  TimeoutSeconds?: number;
  [field: string]: unknown;
}

/**
 * JavaScript timers fire at once past 2^31-1 ms (about 24.8 days); longer timeouts are capped
 * there, and a Task without TimeoutSeconds gets this cap (AWS's default is 99999999 s), where
 * the engine would otherwise apply its own default of 60 s.
 */
export const MAX_TIMER_SECONDS = Math.floor((2 ** 31 - 1) / 1000);

export function parseDefinition(input: unknown): ParsedDefinition {
  const { text, value } = readJson(input);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw apiErrors.invalidDefinition('Definition must be a valid JSON object');
  const definition = value as AslDefinition;
  const unsupported = unsupportedFeatures(definition);
  if (unsupported.length > 0) throw apiErrors.invalidDefinition(unsupported.join(', '));
  validate(definition);
  // State names are unique across the whole machine (the validator checks it), which is
  // what lets Task overrides, keyed by name, reach states nested in Map and Parallel.
  const states = new Map<string, StateInfo>();
  walk(definition.States, [], (info) => states.set(info.name, info));
  return { text, definition, runnable: forEngine(definition), states };
}

/**
 * The definition the engine runs: Task timeouts made explicit and capped (see
 * MAX_TIMER_SECONDS), static Wait seconds capped likewise. Everything else is untouched.
 */
export function forEngine(definition: AslDefinition): StateMachineDefinition {
  const copy = structuredClone(definition);
  if (typeof copy.TimeoutSeconds === 'number') copy.TimeoutSeconds = Math.min(copy.TimeoutSeconds, MAX_TIMER_SECONDS);
  walk(copy.States, [], ({ state }) => {
    if (state.Type === 'Task') {
      if (typeof state.TimeoutSeconds === 'number') state.TimeoutSeconds = Math.min(state.TimeoutSeconds, MAX_TIMER_SECONDS);
      else if (state.TimeoutSecondsPath === undefined) state.TimeoutSeconds = MAX_TIMER_SECONDS;
    }
    if (state.Type === 'Wait' && typeof state.Seconds === 'number') state.Seconds = Math.min(state.Seconds, MAX_TIMER_SECONDS);
    if (state.Type === 'Choice' && Array.isArray(state.Choices)) state.Choices = (state.Choices as ChoiceRule[]).map(negativeTypeTests);
  });
  return copy as unknown as StateMachineDefinition;
}

type ChoiceRule = Record<string, unknown>;
const TYPE_TESTS = ['IsPresent', 'IsNull', 'IsNumeric', 'IsString', 'IsBoolean', 'IsTimestamp'];

/**
 * aws-local-stepfunctions evaluates `IsPresent: false` (and the other type tests set to
 * false) as `flag && test`, which never matches; AWS matches when the test fails. Rewrite
 * such a rule as `Not: { ..., IsPresent: true }`, which the engine gets right.
 */
function negativeTypeTests(rule: ChoiceRule): ChoiceRule {
  const out: ChoiceRule = { ...rule };
  for (const key of ['And', 'Or']) if (Array.isArray(out[key])) out[key] = (out[key] as ChoiceRule[]).map(negativeTypeTests);
  if (out.Not && typeof out.Not === 'object') out.Not = negativeTypeTests(out.Not as ChoiceRule);
  const test = TYPE_TESTS.find((t) => out[t] === false);
  if (!test) return out;
  const { Next, ...condition } = out;
  const inner: ChoiceRule = { ...condition, [test]: true };
  return Next === undefined ? { Not: inner } : { Not: inner, Next };
}

function walk(states: Record<string, AslState>, scopes: Scope[], visit: (info: StateInfo) => void): void {
  for (const [name, state] of Object.entries(states)) {
    const info: StateInfo = { name, type: state.Type, state, scopes };
    if (state.Type === 'Task' && typeof state.Resource === 'string') info.resource = classifyResource(state.Resource);
    visit(info);
    if (state.Type === 'Parallel' && Array.isArray(state.Branches)) {
      (state.Branches as AslDefinition[]).forEach((branch, i) => walk(branch.States ?? {}, [...scopes, { kind: 'parallel', state: name, branch: i }], visit));
    }
    if (state.Type === 'Map') {
      const processor = (state.ItemProcessor ?? state.Iterator) as AslDefinition | undefined;
      if (processor) walk(processor.States ?? {}, [...scopes, { kind: 'map', state: name }], visit);
    }
  }
}

// The validator builds its JSON schemas anew on each call (about half a second): a
// definition deployed again (npm run dev, a re-run check) is not validated twice.
const validated = new Set<string>();
const VALIDATED_MEMORY = 200;

function validate(definition: AslDefinition): void {
  const key = JSON.stringify(definition);
  if (validated.has(key)) return;
  const misplaced = misplacedStatesAll(definition);
  if (misplaced.length > 0) throw apiErrors.invalidDefinition(misplaced.join(', '));
  try {
    // The validator writes defaults into what it checks: give it a copy.
    new StateMachine(structuredClone(definition) as unknown as StateMachineDefinition, { validationOptions: { checkArn: true, checkPaths: true } });
  } catch (err) {
    throw apiErrors.invalidDefinition(awsValidationWords(err instanceof Error ? err.message : String(err)));
  }
  validated.add(key);
  if (validated.size > VALIDATED_MEMORY) validated.delete(validated.values().next().value as string);
}

function readJson(input: unknown): { text: string; value: unknown } {
  // An object is read through its JSON, so the caller's object is never shared or changed.
  if (typeof input !== 'string') return { text: JSON.stringify(input), value: JSON.parse(JSON.stringify(input) ?? 'null') };
  try {
    return { text: input, value: JSON.parse(input) };
  } catch (err) {
    throw apiErrors.invalidDefinition(`INVALID_JSON_DESCRIPTION: ${(err as Error).message}`);
  }
}

/**
 * `States.ALL` matches every error, so a retrier or catcher after it could never run: the
 * States Language says it "must appear alone in its ErrorEquals array and must appear in the
 * last Retrier (Catcher) in the array" (https://states-language.net/spec.html#error-names),
 * and CreateStateMachine refuses it otherwise, in these words (recorded in aws/aws-cdk#10530):
 * `SCHEMA_VALIDATION_FAILED: States.ALL must appear alone and at end of list at
 * /States/T/Catch[0]/ErrorEquals[0]`. The engine's validator lets it through.
 */
export function misplacedStatesAll(definition: AslDefinition, at = ''): string[] {
  const found: string[] = [];
  for (const [name, state] of Object.entries(definition.States ?? {})) {
    const here = `${at}/States/${name}`;
    for (const field of ['Retry', 'Catch'] as const) {
      const list = state[field];
      if (!Array.isArray(list)) continue;
      list.forEach((entry: { ErrorEquals?: unknown }, i) => {
        const errors = Array.isArray(entry?.ErrorEquals) ? entry.ErrorEquals : [];
        const j = errors.indexOf('States.ALL');
        if (j >= 0 && (errors.length > 1 || i < list.length - 1)) found.push(`SCHEMA_VALIDATION_FAILED: States.ALL must appear alone and at end of list at ${here}/${field}[${i}]/ErrorEquals[${j}]`);
      });
    }
    if (state.Type === 'Parallel' && Array.isArray(state.Branches)) (state.Branches as AslDefinition[]).forEach((branch, i) => found.push(...misplacedStatesAll(branch, `${here}/Branches[${i}]`)));
    if (state.Type === 'Map') {
      const field = state.ItemProcessor ? 'ItemProcessor' : 'Iterator';
      const processor = state[field] as AslDefinition | undefined;
      if (processor) found.push(...misplacedStatesAll(processor, `${here}/${field}`));
    }
  }
  return found;
}

/** Features AWS has and the engine lacks: refused at creation rather than misrun later. */
function unsupportedFeatures(definition: AslDefinition): string[] {
  const found: string[] = [];
  const say = (what: string, at: string) => found.push(`UNSUPPORTED_BY_LOCAL_CLOUD: The local cloud does not support ${what} at ${at}`);
  if (definition.QueryLanguage === 'JSONata') say("QueryLanguage 'JSONata' (write the state machine in JSONPath)", '/QueryLanguage');
  const visit = (states: Record<string, AslState> | undefined, path: string) => {
    for (const [name, state] of Object.entries(states ?? {})) {
      const here = `${path}/${name}`;
      if (state.QueryLanguage === 'JSONata') say("QueryLanguage 'JSONata' (write the state machine in JSONPath)", `${here}/QueryLanguage`);
      if (state.Assign !== undefined) say('variables (Assign)', `${here}/Assign`);
      for (const field of ['ItemReader', 'ResultWriter', 'ItemBatcher', 'ToleratedFailureCount', 'ToleratedFailurePercentage']) {
        if (state[field] !== undefined) say(`the Distributed Map field ${field}`, `${here}/${field}`);
      }
      const processor = (state.ItemProcessor ?? state.Iterator) as (AslDefinition & { ProcessorConfig?: { Mode?: string } }) | undefined;
      if (processor?.ProcessorConfig?.Mode === 'DISTRIBUTED') say('Distributed Map (ProcessorConfig.Mode DISTRIBUTED)', `${here}/ItemProcessor/ProcessorConfig/Mode`);
      if (processor) visit(processor.States, `${here}/${state.ItemProcessor ? 'ItemProcessor' : 'Iterator'}/States`);
      if (Array.isArray(state.Branches)) (state.Branches as AslDefinition[]).forEach((b, i) => visit(b.States, `${here}/Branches[${i}]/States`));
    }
  };
  visit(definition.States, '/States');
  return found;
}

/**
 * asl-validator says "SCHEMA_VALIDATION_FAILED: /States/A/Seconds is invalid. must ...";
 * AWS says "SCHEMA_VALIDATION_FAILED: ... at /States/A/Seconds", errors joined by ", ".
 */
function awsValidationWords(message: string): string {
  const body = message.replace(/^State machine definition is invalid, see error\(s\) below:\s*/, '');
  return body
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const schema = /^SCHEMA_VALIDATION_FAILED: (\S*) is invalid\. (.*)$/.exec(line);
      return schema ? `SCHEMA_VALIDATION_FAILED: ${schema[2]} at ${schema[1] || '/'}` : line;
    })
    .join(', ');
}
