/**
 * How data flows through a state, in both query languages.
 *
 * JSONPath: InputPath → Parameters → (the state's work) → ResultSelector → ResultPath →
 * OutputPath, with payload templates (`"key.$": path or intrinsic`) reading the input, the
 * context object (`$$`) and variables (`$name`).
 * JSONata: Arguments → (the work) → Output, every `{% %}` seeing `$states` and the variables.
 * In both, Assign is evaluated with the variables as they were when the state was entered,
 * and takes effect when the state is done; states' data is limited to 256 KiB.
 */
import { isIntrinsic, evaluateIntrinsic, parseIntrinsic } from './intrinsics.ts';
import { evaluateTemplate, isExpression, evaluateExpression } from './jsonata.ts';
import { applyPath, applyResultPath, select, type PathData } from './paths.ts';
import { jsonataData, pathData, where, type StateRun } from './context.ts';
import { StatesDataLimitExceeded, StatesRuntime, StateError } from './errors.ts';

/** AWS's limit on a state's input, output and each Assign, in UTF-8 bytes. */
export const PAYLOAD_LIMIT = 262_144;

/** A JSONPath payload template: `.$` keys take a path's value or an intrinsic's result. */
export function payloadTemplate(template: unknown, data: PathData, run: StateRun): unknown {
  if (Array.isArray(template)) return template.map((v) => payloadTemplate(v, data, run));
  if (template === null || typeof template !== 'object') return template;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(template as Record<string, unknown>)) {
    if (!key.endsWith('.$')) {
      out[key] = payloadTemplate(value, data, run);
      continue;
    }
    out[key.slice(0, -2)] = dynamicValue(String(value), key, data, run);
  }
  return out;
}

function dynamicValue(text: string, field: string, data: PathData, run: StateRun): unknown {
  try {
    if (isIntrinsic(text)) return evaluateIntrinsic(parseIntrinsic(text), data, field);
    const selection = select(text, data);
    if (!selection.found)
      throw new StatesRuntime(
        `The JSONPath '${text}' specified for the field '${field}' could not be found in the input '${JSON.stringify(data.input)}'`,
      );
    return selection.value;
  } catch (err) {
    throw prefixed(err, run);
  }
}

/** Runtime and query errors carry AWS's "An error occurred while executing the state..." prefix. */
export function prefixed(err: unknown, run: StateRun): unknown {
  if (
    err instanceof StateError &&
    (err.error === 'States.Runtime' || err.error === 'States.QueryEvaluationError') &&
    !err.errorCause.startsWith('An error occurred while executing the state')
  ) {
    const Class = err.constructor as new (cause: string) => StateError;
    return new Class(`${where(run)}${err.errorCause}`);
  }
  return err;
}

/** The input a state works on: InputPath and Parameters (JSONPath) or Arguments (JSONata). */
export async function effectiveInput(run: StateRun, opts: { parameters: boolean }): Promise<unknown> {
  const { state } = run;
  if (run.language === 'JSONata') {
    if (!opts.parameters || state.Arguments === undefined) return run.input;
    const args = await jsonata(run, state.Arguments, 'Arguments');
    run.engine.inspect?.('afterArguments', args);
    return args;
  }
  let value: unknown;
  try {
    value = applyPath(state.InputPath, run.input, pathData(run, run.input), where(run));
  } catch (err) {
    throw prefixed(err, run);
  }
  run.engine.inspect?.('afterInputPath', value);
  if (opts.parameters && state.Parameters !== undefined) {
    value = payloadTemplate(state.Parameters, pathData(run, value), run);
    run.engine.inspect?.('afterParameters', value);
  }
  return value;
}

/** Evaluates a JSONata template of this state, with `$states.result` / `errorOutput` when given. */
export async function jsonata(
  run: StateRun,
  template: unknown,
  field: string,
  extra: { result?: unknown; errorOutput?: unknown } = {},
): Promise<unknown> {
  try {
    return await evaluateTemplate(template, jsonataData(run, extra), field);
  } catch (err) {
    throw prefixed(err, run);
  }
}

/** A numeric or text field that may be `{% %}` in JSONata (Seconds, TimeoutSeconds, Error...). */
export async function maybeExpression(run: StateRun, value: unknown, field: string): Promise<unknown> {
  if (run.language !== 'JSONata' || !isExpression(value)) return value;
  try {
    return await evaluateExpression(value, jsonataData(run), field);
  } catch (err) {
    throw prefixed(err, run);
  }
}

/**
 * The state's output from its result, and its Assign applied. `kind` says which JSONPath
 * fields apply: 'result' states (Task, Map, Parallel, Pass) have ResultPath (and, but for
 * Pass, ResultSelector); 'passthrough' states (Choice, Wait, Succeed) pass their effective input on.
 */
export async function stateOutput(
  run: StateRun,
  result: unknown,
  kind: 'result' | 'passthrough',
  assign: unknown = run.state.Assign,
  output: unknown = run.state.Output,
): Promise<unknown> {
  const { state } = run;
  if (kind !== 'passthrough') run.engine.inspect?.('result', result);
  if (run.language === 'JSONata') {
    const value =
      output === undefined
        ? kind === 'passthrough'
          ? run.input
          : result
        : await jsonata(run, output, 'Output', { result });
    if (assign !== undefined) await applyAssign(run, assign, { result });
    return checkSize(run, value);
  }
  let selected = result;
  if (kind === 'result' && state.ResultSelector !== undefined) {
    selected = payloadTemplate(state.ResultSelector, pathData(run, result), run);
    run.engine.inspect?.('afterResultSelector', selected);
  }
  let value: unknown;
  try {
    value =
      kind === 'passthrough' ? result : applyResultPath(state.ResultPath, run.input, selected, where(run));
    if (kind !== 'passthrough') run.engine.inspect?.('afterResultPath', value);
    if (assign !== undefined) await applyAssign(run, assign, { result: selected });
    value = applyPath(state.OutputPath, value, pathData(run, value), where(run));
  } catch (err) {
    throw prefixed(err, run);
  }
  return checkSize(run, value);
}

/** The output of a Catch: the error output placed by ResultPath (JSONPath) or Output (JSONata). */
export async function catchOutput(
  run: StateRun,
  catcher: Record<string, unknown>,
  errorOutput: { Error: string; Cause: string },
): Promise<unknown> {
  if (run.language === 'JSONata') {
    const value =
      catcher.Output === undefined
        ? errorOutput
        : await jsonata(run, catcher.Output, 'Output', { errorOutput });
    if (catcher.Assign !== undefined) await applyAssign(run, catcher.Assign, { errorOutput });
    return checkSize(run, value);
  }
  const value = applyResultPath(catcher.ResultPath, run.input, errorOutput, where(run));
  if (catcher.Assign !== undefined) await applyAssign(run, catcher.Assign, { result: errorOutput });
  return checkSize(run, value);
}

/**
 * Assign: every value is computed from the variables as they were on entry, then all are set
 * together (so `{"a": "{% $b %}", "b": 1}` gives a the old b).
 */
export async function applyAssign(
  run: StateRun,
  assign: unknown,
  extra: { result?: unknown; errorOutput?: unknown },
): Promise<void> {
  let values: Record<string, unknown>;
  if (run.language === 'JSONata') {
    values = (await jsonata(run, assign, 'Assign', extra)) as Record<string, unknown>;
  } else {
    // In JSONPath, `$` in Assign is the state's result (or the error output in a Catch).
    values = payloadTemplate(
      assign,
      pathData(run, extra.result ?? extra.errorOutput ?? run.input),
      run,
    ) as Record<string, unknown>;
  }
  const size = Buffer.byteLength(JSON.stringify(values), 'utf8');
  if (size > PAYLOAD_LIMIT)
    throw new StatesDataLimitExceeded(
      `The state/task '${run.name}' assigned variables with a size exceeding the maximum number of bytes service limit.`,
    );
  for (const [name, value] of Object.entries(values)) run.frame.scope.set(name, value);
}

export function checkSize(run: StateRun, value: unknown): unknown {
  if (Buffer.byteLength(JSON.stringify(value) ?? 'null', 'utf8') > PAYLOAD_LIMIT) {
    throw new StatesDataLimitExceeded(
      `The state/task '${run.name}' returned a result with a size exceeding the maximum number of bytes service limit.`,
    );
  }
  return value;
}
