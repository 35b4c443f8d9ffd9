/**
 * A state machine definition, checked the way CreateStateMachine checks it (the ASL schema
 * with asl-validator, the query-language, variable and local-cloud checks of validation.ts,
 * all reported in AWS's words), and prepared for running: every state known by name with the
 * Map/Parallel scopes it sits in, every Task with what its Resource means.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type aslValidatorFn from 'asl-validator';
import { isIntrinsic, parseIntrinsic } from './engine/intrinsics.ts';
import type { AslDefinition, AslState } from './asl.ts';
import { apiErrors } from './errors.ts';
import { classifyResource, type TaskResource } from './resources.ts';
import { definitionDiagnostics, type Diagnostic } from './validation.ts';
import { schemaVerdict } from './schema-verdicts.ts';

/**
 * asl-validator, loaded by the first definition that has no verdict kept (schema-verdicts.ts):
 * loading it is 0.2–0.5 s of a process's start, which a check whose definitions were all
 * judged before does not need.
 */
const aslValidator = (): typeof aslValidatorFn =>
  createRequire(import.meta.url)('asl-validator') as typeof aslValidatorFn;

/** The code that turns asl-validator's findings into diagnostics: a change to it recomputes them. */
const VERDICT_READERS = [
  fileURLToPath(import.meta.url),
  fileURLToPath(new URL('./engine/intrinsics.ts', import.meta.url)),
];

export interface ParsedDefinition {
  /** The definition as DescribeStateMachine returns it. */
  text: string;
  definition: AslDefinition;
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

export type { AslDefinition, AslState } from './asl.ts';

export function parseDefinition(input: unknown): ParsedDefinition {
  const { text, value } = readJson(input);
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw apiErrors.invalidDefinition('Definition must be a valid JSON object');
  const definition = value as AslDefinition;
  validate(definition);
  // State names are unique across the whole machine (the validator checks it), which is
  // what lets Task overrides, keyed by name, reach states nested in Map and Parallel.
  const states = new Map<string, StateInfo>();
  walk(definition.States, [], (info) => states.set(info.name, info));
  return { text, definition, states };
}

function walk(states: Record<string, AslState>, scopes: Scope[], visit: (info: StateInfo) => void): void {
  for (const [name, state] of Object.entries(states)) {
    const info: StateInfo = { name, type: state.Type, state, scopes };
    if (state.Type === 'Task' && typeof state.Resource === 'string')
      info.resource = classifyResource(state.Resource);
    visit(info);
    if (state.Type === 'Parallel' && Array.isArray(state.Branches)) {
      (state.Branches as AslDefinition[]).forEach((branch, i) =>
        walk(branch.States ?? {}, [...scopes, { kind: 'parallel', state: name, branch: i }], visit),
      );
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
  // AWS checks this before the rest (its schema), in its own words.
  const misplaced = misplacedStatesAll(definition);
  if (misplaced.length > 0) throw apiErrors.invalidDefinition(misplaced.join(', '));
  const diagnostics = diagnoseDefinition(definition);
  if (diagnostics.length > 0) throw apiErrors.invalidDefinition(diagnostics.map(diagnosticText).join(', '));
  validated.add(key);
  if (validated.size > VALIDATED_MEMORY) validated.delete(validated.values().next().value as string);
}

/** One diagnostic as CreateStateMachine words it: schema findings say where, the graph checks name the state already. */
export function diagnosticText(d: Diagnostic): string {
  return d.code === 'SCHEMA_VALIDATION_FAILED' || d.code === 'UNSUPPORTED_BY_LOCAL_CLOUD'
    ? `${d.code}: ${d.message} at ${d.location}`
    : `${d.code}: ${d.message}`;
}

/** What is wrong with a definition, as ValidateStateMachineDefinition lists it (empty: valid). */
export function diagnoseDefinition(definition: unknown): Diagnostic[] {
  if (definition === null || typeof definition !== 'object' || Array.isArray(definition))
    return [
      {
        severity: 'ERROR',
        code: 'SCHEMA_VALIDATION_FAILED',
        message: 'Definition must be a valid JSON object',
        location: '/',
      },
    ];
  const ours = definitionDiagnostics(definition as AslDefinition);
  // Our checks say it in AWS's words; the schema would only repeat them less clearly.
  if (ours.length > 0) return ours;
  return schemaVerdict(JSON.stringify(definition), VERDICT_READERS, () => {
    const { errors } = aslValidator()(schemaView(definition as AslDefinition) as never, {
      checkArn: true,
      checkPaths: true,
    });
    return (errors ?? []).filter((e) => !intrinsicAcceptedByUs(definition, e)).map(schemaDiagnostic);
  });
}

/**
 * A copy of the definition for asl-validator, which also writes defaults into what it checks.
 * Its schema refuses JSONata Output and Arguments that are plain values (`"Output": "adult"`),
 * which AWS accepts as any JSON value: those are shown to it as an expression (validation.ts
 * checks JSONata fields itself).
 */
function schemaView(definition: AslDefinition): AslDefinition {
  const copy = structuredClone(definition);
  const top = copy.QueryLanguage === 'JSONata';
  const plain = (holder: Record<string, unknown>) => {
    for (const field of ['Output', 'Arguments']) {
      const v = holder[field];
      if (
        v !== undefined &&
        (v === null || typeof v !== 'object' || Array.isArray(v)) &&
        !(typeof v === 'string' && v.startsWith('{%'))
      )
        holder[field] = '{% $states.input %}';
    }
  };
  walk(copy.States, [], ({ state }) => {
    if (!(state.QueryLanguage === 'JSONata' || (top && state.QueryLanguage === undefined))) return;
    plain(state);
    for (const list of [state.Choices, state.Catch])
      if (Array.isArray(list)) for (const item of list) plain(item as Record<string, unknown>);
  });
  return copy;
}

/**
 * asl-validator's path grammar refuses some intrinsic calls AWS runs (a decimal argument,
 * `States.MathAdd($.x, 1.5)`; an escaped brace in a Format template); validation.ts checks
 * every intrinsic call with the interpreter's own parser, so those findings are dropped.
 */
function intrinsicAcceptedByUs(definition: object, error: { Message: string }): boolean {
  const m = /^(\S*) is invalid\. must match format "asl_payload_template"$/.exec(error.Message);
  if (!m) return false;
  const value = m[1]
    .split('/')
    .slice(1)
    .reduce<unknown>(
      (node, key) =>
        node && typeof node === 'object'
          ? (node as Record<string, unknown>)[key.replace(/~1/g, '/').replace(/~0/g, '~')]
          : undefined,
      definition,
    );
  if (typeof value !== 'string' || !isIntrinsic(value)) return false;
  try {
    parseIntrinsic(value);
    return true;
  } catch {
    return false;
  }
}

/**
 * asl-validator says "/States/A/Seconds is invalid. must ..."; AWS says "... at /States/A/Seconds".
 */
function schemaDiagnostic(error: { 'Error code': string; Message: string }): Diagnostic {
  const schema = /^(\S*) is invalid\. (.*)$/.exec(error.Message);
  if (schema)
    return { severity: 'ERROR', code: error['Error code'], message: schema[2], location: schema[1] || '/' };
  const at = /(\/States\/\S*)/.exec(error.Message);
  return { severity: 'ERROR', code: error['Error code'], message: error.Message, location: at?.[1] ?? '/' };
}

function readJson(input: unknown): { text: string; value: unknown } {
  // An object is read through its JSON, so the caller's object is never shared or changed.
  if (typeof input !== 'string')
    return { text: JSON.stringify(input), value: JSON.parse(JSON.stringify(input) ?? 'null') };
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
        if (j >= 0 && (errors.length > 1 || i < list.length - 1))
          found.push(
            `SCHEMA_VALIDATION_FAILED: States.ALL must appear alone and at end of list at ${here}/${field}[${i}]/ErrorEquals[${j}]`,
          );
      });
    }
    if (state.Type === 'Parallel' && Array.isArray(state.Branches))
      (state.Branches as AslDefinition[]).forEach((branch, i) =>
        found.push(...misplacedStatesAll(branch, `${here}/Branches[${i}]`)),
      );
    if (state.Type === 'Map') {
      const field = state.ItemProcessor ? 'ItemProcessor' : 'Iterator';
      const processor = state[field] as AslDefinition | undefined;
      if (processor) found.push(...misplacedStatesAll(processor, `${here}/${field}`));
    }
  }
  return found;
}
