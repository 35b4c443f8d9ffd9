/**
 * The checks CreateStateMachine and ValidateStateMachineDefinition make beyond the ASL
 * schema (which asl-validator checks): the query-language rules AWS enforces (a JSONPath
 * field in a JSONata state, a JSONata field in a JSONPath state, a state going back to
 * JSONPath under a JSONata machine), JSONata syntax, workflow-variable names and scopes, and
 * the features the local cloud does not run. Each finding is a diagnostic as
 * ValidateStateMachineDefinition returns it; CreateStateMachine joins them into its
 * InvalidDefinition message.
 */
import jsonata from 'jsonata';
import type { AslDefinition, AslState } from './asl.ts';
import { parseIntrinsic } from './engine/intrinsics.ts';
import { expressionOf, isExpression } from './engine/jsonata.ts';
import { INPUT_TYPES, LIST_OBJECTS, READ_OBJECT } from './engine/item-reader.ts';
import { TRANSFORMATIONS, WRITE_OBJECT } from './engine/result-writer.ts';

export interface Diagnostic {
  severity: 'ERROR';
  code: string;
  message: string;
  location: string;
}

type Language = 'JSONPath' | 'JSONata';

/** Fields only JSONPath states have, and only JSONata states have. */
const JSONPATH_FIELDS = [
  'InputPath',
  'Parameters',
  'ResultSelector',
  'ResultPath',
  'OutputPath',
  'ItemsPath',
  'Result',
  'SecondsPath',
  'TimestampPath',
  'TimeoutSecondsPath',
  'HeartbeatSecondsPath',
  'MaxConcurrencyPath',
  'ErrorPath',
  'CausePath',
];
const JSONATA_FIELDS = ['Arguments', 'Output', 'Items'];
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Fields whose `{% %}` strings AWS evaluates (a Comment is text, whatever it holds). */
const EVALUATED_FIELDS = [
  'Arguments',
  'Output',
  'Assign',
  'Items',
  'ItemSelector',
  'Condition',
  'Seconds',
  'Timestamp',
  'TimeoutSeconds',
  'HeartbeatSeconds',
  'MaxConcurrency',
  'ToleratedFailureCount',
  'ToleratedFailurePercentage',
  'Error',
  'Cause',
  'ItemBatcher',
];

export function definitionDiagnostics(definition: AslDefinition): Diagnostic[] {
  const out: Diagnostic[] = [];
  const say = (code: string, message: string, location: string) =>
    out.push({ severity: 'ERROR', code, message, location });
  const top: Language = definition.QueryLanguage === 'JSONata' ? 'JSONata' : 'JSONPath';
  visitStates(definition.States, '/States', top, new Set(), say);
  return out;
}

type Say = (code: string, message: string, location: string) => void;

function visitStates(
  states: Record<string, AslState> | undefined,
  path: string,
  top: Language,
  outerVariables: Set<string>,
  say: Say,
): void {
  const assigned = new Set<string>();
  for (const [name, state] of Object.entries(states ?? {})) {
    if (!state || typeof state !== 'object') continue;
    const here = `${path}/${name}`;
    const language: Language =
      state.QueryLanguage === 'JSONata' ? 'JSONata' : state.QueryLanguage === 'JSONPath' ? 'JSONPath' : top;
    if (top === 'JSONata' && state.QueryLanguage === 'JSONPath')
      say(
        'SCHEMA_VALIDATION_FAILED',
        "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine",
        here,
      );
    languageFields(state, language, here, say);
    if (language === 'JSONata') jsonataSyntax(state, here, say);
    for (const [assign, at] of assignments(state, here)) {
      for (const variable of Object.keys(assign)) {
        const bare = language === 'JSONPath' && variable.endsWith('.$') ? variable.slice(0, -2) : variable;
        if (bare === 'states')
          say('SCHEMA_VALIDATION_FAILED', "The variable name 'states' is reserved", `${at}/${variable}`);
        else if (!VARIABLE_NAME.test(bare) || bare.length > 80)
          say(
            'SCHEMA_VALIDATION_FAILED',
            `The variable name '${bare}' is not valid: it must start with a letter or '_', hold only letters, digits and '_', and have at most 80 characters`,
            `${at}/${variable}`,
          );
        else if (outerVariables.has(bare))
          say(
            'SCHEMA_VALIDATION_FAILED',
            `The variable '${bare}' is assigned in an outer scope: a state inside a Map or Parallel can read it but not assign it (give the inner variable another name, or return the value in the Map or Parallel's Output and Assign it there)`,
            `${at}/${variable}`,
          );
        assigned.add(bare);
      }
    }
    if (language === 'JSONPath') intrinsicSyntax(state, here, say);
    unsupported(state, here, say);
    const processorField =
      state.ItemProcessor !== undefined
        ? 'ItemProcessor'
        : state.Iterator !== undefined
          ? 'Iterator'
          : undefined;
    if (processorField) {
      const processor = state[processorField] as AslDefinition & { ProcessorConfig?: { Mode?: string } };
      if (processor.QueryLanguage !== undefined)
        say(
          'SCHEMA_VALIDATION_FAILED',
          "Field 'QueryLanguage' is not supported",
          `${here}/${processorField}`,
        );
      // A Distributed Map's children are executions of their own: they see no outer variables.
      const visible =
        processor.ProcessorConfig?.Mode === 'DISTRIBUTED'
          ? new Set<string>()
          : union(outerVariables, assignedIn(states));
      visitStates(processor.States, `${here}/${processorField}/States`, top, visible, say);
    }
    if (Array.isArray(state.Branches)) {
      (state.Branches as AslDefinition[]).forEach((b, i) =>
        visitStates(
          b.States,
          `${here}/Branches[${i}]/States`,
          top,
          union(outerVariables, assignedIn(states)),
          say,
        ),
      );
    }
  }
}

function union(a: Set<string>, b: Set<string>): Set<string> {
  return new Set([...a, ...b]);
}

/** Variables the states of one block assign (their scope's names). */
function assignedIn(states: Record<string, AslState> | undefined): Set<string> {
  const names = new Set<string>();
  for (const [name, state] of Object.entries(states ?? {})) {
    for (const [assign] of assignments(state, name))
      for (const v of Object.keys(assign)) names.add(v.endsWith('.$') ? v.slice(0, -2) : v);
  }
  return names;
}

/** Every Assign of a state: its own, its Choice rules', its Catchers'. */
function assignments(state: AslState, here: string): Array<[Record<string, unknown>, string]> {
  const out: Array<[Record<string, unknown>, string]> = [];
  const add = (v: unknown, at: string) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) out.push([v as Record<string, unknown>, at]);
  };
  add(state.Assign, `${here}/Assign`);
  if (Array.isArray(state.Choices))
    (state.Choices as Array<Record<string, unknown>>).forEach((c, i) =>
      add(c.Assign, `${here}/Choices[${i}]/Assign`),
    );
  if (Array.isArray(state.Catch))
    (state.Catch as Array<Record<string, unknown>>).forEach((c, i) =>
      add(c.Assign, `${here}/Catch[${i}]/Assign`),
    );
  return out;
}

function languageFields(state: AslState, language: Language, here: string, say: Say): void {
  const misplaced = (field: string) =>
    say(
      'SCHEMA_VALIDATION_FAILED',
      `The QueryLanguage is set to '${language}', but field '${field}' is only supported for the '${language === 'JSONata' ? 'JSONPath' : 'JSONata'}' QueryLanguage`,
      here,
    );
  const wrong = language === 'JSONata' ? JSONPATH_FIELDS : JSONATA_FIELDS;
  for (const field of wrong) if (state[field] !== undefined) misplaced(field);
  const rules = Array.isArray(state.Choices) ? (state.Choices as Array<Record<string, unknown>>) : [];
  rules.forEach((rule, i) => {
    if (language === 'JSONata' && rule.Variable !== undefined)
      say(
        'SCHEMA_VALIDATION_FAILED',
        "The QueryLanguage is set to 'JSONata', but field 'Variable' is only supported for the 'JSONPath' QueryLanguage",
        `${here}/Choices[${i}]`,
      );
    if (language === 'JSONPath' && (rule.Condition !== undefined || rule.Output !== undefined))
      say(
        'SCHEMA_VALIDATION_FAILED',
        `The QueryLanguage is set to 'JSONPath', but field '${rule.Condition !== undefined ? 'Condition' : 'Output'}' is only supported for the 'JSONata' QueryLanguage`,
        `${here}/Choices[${i}]`,
      );
  });
  const catchers = Array.isArray(state.Catch) ? (state.Catch as Array<Record<string, unknown>>) : [];
  catchers.forEach((c, i) => {
    if (language === 'JSONata' && c.ResultPath !== undefined)
      say(
        'SCHEMA_VALIDATION_FAILED',
        "The QueryLanguage is set to 'JSONata', but field 'ResultPath' is only supported for the 'JSONPath' QueryLanguage",
        `${here}/Catch[${i}]`,
      );
    if (language === 'JSONPath' && c.Output !== undefined)
      say(
        'SCHEMA_VALIDATION_FAILED',
        "The QueryLanguage is set to 'JSONPath', but field 'Output' is only supported for the 'JSONata' QueryLanguage",
        `${here}/Catch[${i}]`,
      );
  });
}

/** Every `{% %}` in a JSONata state's evaluated fields must parse. */
function jsonataSyntax(state: AslState, here: string, say: Say): void {
  const check = (value: unknown, at: string) => {
    if (isExpression(value)) {
      try {
        jsonata(expressionOf(value));
      } catch (err) {
        const e = err as { code?: string; message?: string };
        say(
          'SCHEMA_VALIDATION_FAILED',
          `The JSONata expression '${expressionOf(value)}' is not valid: ${e.code ? `${e.code}: ` : ''}${e.message ?? String(err)}`,
          at,
        );
      }
    } else if (Array.isArray(value)) value.forEach((v, i) => check(v, `${at}[${i}]`));
    else if (value && typeof value === 'object')
      for (const [k, v] of Object.entries(value)) check(v, `${at}/${k}`);
  };
  for (const field of EVALUATED_FIELDS)
    if (state[field] !== undefined) check(state[field], `${here}/${field}`);
  if (Array.isArray(state.Choices))
    (state.Choices as Array<Record<string, unknown>>).forEach((c, i) =>
      check({ Condition: c.Condition, Output: c.Output, Assign: c.Assign }, `${here}/Choices[${i}]`),
    );
  if (Array.isArray(state.Catch))
    (state.Catch as Array<Record<string, unknown>>).forEach((c, i) =>
      check({ Output: c.Output, Assign: c.Assign }, `${here}/Catch[${i}]`),
    );
}

/** Every intrinsic call in a JSONPath state's payload templates must parse (names, arguments, quotes). */
function intrinsicSyntax(state: AslState, here: string, say: Say): void {
  const check = (template: unknown, at: string) => {
    if (Array.isArray(template)) template.forEach((v, i) => check(v, `${at}[${i}]`));
    else if (template && typeof template === 'object') {
      for (const [key, value] of Object.entries(template)) {
        if (key.endsWith('.$') && typeof value === 'string' && value.trim().startsWith('States.')) {
          try {
            parseIntrinsic(value);
          } catch (err) {
            say(
              'SCHEMA_VALIDATION_FAILED',
              `The value for the field '${key}' must be a valid JSONPath or a valid intrinsic function call (${(err as Error).message})`,
              at,
            );
          }
        } else check(value, `${at}/${key}`);
      }
    }
  };
  for (const field of ['Parameters', 'ResultSelector', 'ItemSelector', 'Assign'])
    if (state[field] !== undefined) check(state[field], `${here}/${field}`);
  if (Array.isArray(state.Catch))
    (state.Catch as Array<Record<string, unknown>>).forEach((c, i) =>
      check(c.Assign, `${here}/Catch[${i}]/Assign`),
    );
  if (Array.isArray(state.Choices))
    (state.Choices as Array<Record<string, unknown>>).forEach((c, i) =>
      check(c.Assign, `${here}/Choices[${i}]/Assign`),
    );
}

/** What AWS has and the local cloud does not run: refused at creation rather than misrun later. */
function unsupported(state: AslState, here: string, say: Say): void {
  const refuse = (what: string, field: string) =>
    say('UNSUPPORTED_BY_LOCAL_CLOUD', `The local cloud does not support ${what}`, `${here}/${field}`);
  const reader = state.ItemReader as
    { Resource?: unknown; ReaderConfig?: Record<string, unknown> } | undefined;
  if (reader && typeof reader === 'object') {
    const config = reader.ReaderConfig ?? {};
    if (reader.Resource !== READ_OBJECT && reader.Resource !== LIST_OBJECTS)
      refuse(
        `the ItemReader Resource ${JSON.stringify(reader.Resource)} (it reads ${READ_OBJECT} and ${LIST_OBJECTS})`,
        'ItemReader/Resource',
      );
    else if (reader.Resource === READ_OBJECT && config.InputType === undefined)
      refuse(
        `an ${READ_OBJECT} ItemReader without ReaderConfig.InputType (set it to ${INPUT_TYPES.join(', ')})`,
        'ItemReader/ReaderConfig',
      );
    else if (reader.Resource === READ_OBJECT && !INPUT_TYPES.includes(String(config.InputType)))
      refuse(
        `the ItemReader InputType ${JSON.stringify(config.InputType)} (it reads ${INPUT_TYPES.join(', ')}: convert a Parquet file or an S3 inventory manifest to one of them)`,
        'ItemReader/ReaderConfig/InputType',
      );
    if (config.ItemsPointer !== undefined)
      refuse(
        'the ItemReader field ItemsPointer (give the JSON file a top-level array of items)',
        'ItemReader/ReaderConfig/ItemsPointer',
      );
  }
  const writer = state.ResultWriter as
    { Resource?: unknown; WriterConfig?: Record<string, unknown> } | undefined;
  if (writer && typeof writer === 'object') {
    if (writer.Resource !== undefined && writer.Resource !== WRITE_OBJECT)
      refuse(
        `the ResultWriter Resource ${JSON.stringify(writer.Resource)} (it writes with ${WRITE_OBJECT})`,
        'ResultWriter/Resource',
      );
    const config = writer.WriterConfig ?? {};
    if (config.OutputType !== undefined && config.OutputType !== 'JSON')
      refuse(
        `the ResultWriter OutputType ${JSON.stringify(config.OutputType)} (it writes JSON: leave OutputType out or set it to JSON)`,
        'ResultWriter/WriterConfig/OutputType',
      );
    if (config.Transformation !== undefined && !TRANSFORMATIONS.includes(String(config.Transformation)))
      refuse(
        `the ResultWriter Transformation ${JSON.stringify(config.Transformation)} (it knows ${TRANSFORMATIONS.join(', ')})`,
        'ResultWriter/WriterConfig/Transformation',
      );
  }
}
