/**
 * Map: runs its ItemProcessor (or the older Iterator) once per item of its input (ItemsPath
 * in JSONPath, Items in JSONata), at most MaxConcurrency at a time, keeping item order in the
 * result. Each item's input is the item or, with ItemSelector, what it builds (where
 * `$$.Map.Item.Index` / `.Value` are set). Inline iterations show in the execution's history,
 * each in its own thread; they read the outer variables and keep their own assignments.
 *
 * Distributed mode (ProcessorConfig.Mode DISTRIBUTED) runs each item, or each batch of
 * ItemBatcher, as a child workflow of its own: the parent's history shows MapRunStarted and
 * MapRunSucceeded / MapRunFailed, the children see no outer variables, and failures up to
 * ToleratedFailureCount / ToleratedFailurePercentage do not fail the Map. Its items may come
 * from S3 (ItemReader, engine/item-reader.ts) and its results go to S3 (ResultWriter,
 * engine/result-writer.ts).
 */
import { randomUUID } from 'node:crypto';
import type { AslDefinition } from '../../asl.ts';
import { History } from '../../history.ts';
import {
  Cancellation,
  Cancelled,
  pathData,
  VariableScope,
  where,
  type Engine,
  type StateRun,
} from '../context.ts';
import {
  effectiveInput,
  jsonata,
  maybeExpression,
  payloadTemplate,
  prefixed,
  stateOutput,
} from '../data-flow.ts';
import {
  StateError,
  StatesExceedToleratedFailureThreshold,
  StatesQueryEvaluationError,
  StatesRuntime,
} from '../errors.ts';
import { select } from '../paths.ts';
import { nextOf, withRetry, type StateOutcome } from '../flow.ts';
import { readItems } from '../item-reader.ts';
import { writeResults, type ChildOutcome } from '../result-writer.ts';

/**
 * An inline Map runs at most 40 iterations at once, whatever MaxConcurrency says:
 * https://docs.aws.amazon.com/step-functions/latest/dg/state-map-inline.html ("Inline mode
 * supports up to 40 concurrent iterations"). A Distributed Map's children have no such cap here.
 */
export const INLINE_CONCURRENCY = 40;

interface Processor extends AslDefinition {
  ProcessorConfig?: { Mode?: string; ExecutionType?: string };
}

export async function runMap(run: StateRun): Promise<StateOutcome> {
  const result = await withRetry(run, () => attempt(run));
  return { output: await stateOutput(run, result, 'result'), next: nextOf(run.state) };
}

async function attempt(run: StateRun): Promise<unknown> {
  const { engine, frame, name, state } = run;
  const input = await effectiveInput(run, { parameters: false });
  // TestState with a mock reads nothing from S3: the mocked outcome stands for the whole Map.
  const items = engine.mock && state.ItemReader !== undefined ? [] : await itemsOf(run, input);
  const itemInputs: unknown[] = [];
  for (let index = 0; index < items.length; index++)
    itemInputs.push(await itemInput(run, input, index, items[index]));
  if (engine.mock) {
    if (engine.mock.errorOutput)
      throw new StateError(engine.mock.errorOutput.error ?? '', engine.mock.errorOutput.cause ?? '');
    return engine.mock.result;
  }
  const processor = (state.ItemProcessor ?? state.Iterator) as Processor;
  const concurrency = await maxConcurrency(run, input);
  const history = engine.history;
  const started = history.add(
    'MapStateStarted',
    frame.thread,
    { length: items.length },
    { previous: run.retryCount > 0 ? history.lastId() : undefined },
  );
  if (processor.ProcessorConfig?.Mode === 'DISTRIBUTED')
    return distributed(run, input, processor, await batches(run, itemInputs), concurrency);

  const cancellation = new Cancellation(frame.cancellation);
  const results: unknown[] = new Array(items.length);
  try {
    await pool(itemInputs.length, Math.min(concurrency, INLINE_CONCURRENCY), cancellation, async (index) => {
      const thread = `${frame.thread}/${name}#${index}`;
      history.add('MapIterationStarted', thread, { name, index }, { previous: started.id });
      try {
        results[index] = await engine.runStates(
          processor,
          itemInputs[index],
          { thread, scope: new VariableScope(frame.scope), cancellation },
          engine,
          engine.language,
        );
      } catch (err) {
        if (!cancellation.isCancelled()) history.add('MapIterationFailed', thread, { name, index });
        throw err;
      }
      history.add('MapIterationSucceeded', thread, { name, index });
    });
  } catch (err) {
    cancellation.cancel();
    if (!frame.cancellation.isCancelled())
      history.add('MapStateFailed', frame.thread, undefined, { previous: history.lastId() });
    throw err;
  }
  history.add('MapStateSucceeded', frame.thread, undefined, { previous: history.lastId() });
  return results;
}

async function itemsOf(run: StateRun, input: unknown): Promise<unknown[]> {
  const { state } = run;
  if (state.ItemReader !== undefined) return readItems(run, input);
  if (run.language === 'JSONata') {
    const items = state.Items === undefined ? run.input : await jsonata(run, state.Items, 'Items');
    if (!Array.isArray(items)) {
      const expr = typeof state.Items === 'string' ? state.Items : JSON.stringify(state.Items);
      throw prefixed(
        new StatesQueryEvaluationError(
          `The JSONata expression '${expr}' specified for the field 'Items' returned an unexpected result type. Expected 'array', but was '${typeName(items)}' for value: ${JSON.stringify(items)}`,
        ),
        run,
      );
    }
    return items;
  }
  let items = input;
  if (typeof state.ItemsPath === 'string') {
    const s = select(state.ItemsPath, pathData(run, input));
    if (!s.found)
      throw new StatesRuntime(
        `${where(run)}Invalid path '${state.ItemsPath}' : No results for path: ${state.ItemsPath}`,
      );
    items = s.value;
  }
  if (!Array.isArray(items))
    throw new StatesRuntime(`${where(run)}Map state input must be an array but was: ${typeName(items)}`);
  return items;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

async function itemInput(run: StateRun, input: unknown, index: number, value: unknown): Promise<unknown> {
  const { state } = run;
  const selector = state.ItemSelector ?? (run.language === 'JSONPath' ? state.Parameters : undefined);
  if (selector === undefined) return value;
  const withItem: StateRun = { ...run, mapItem: { Index: index, Value: value } };
  if (run.language === 'JSONata') return jsonata(withItem, selector, 'ItemSelector');
  return payloadTemplate(selector, pathData(withItem, input), withItem);
}

async function maxConcurrency(run: StateRun, input: unknown): Promise<number> {
  const { state } = run;
  let value = await maybeExpression(run, state.MaxConcurrency, 'MaxConcurrency');
  if (typeof state.MaxConcurrencyPath === 'string') {
    const s = select(state.MaxConcurrencyPath, pathData(run, input));
    value = s.found ? s.value : undefined;
  }
  if (value === undefined) return Infinity;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0)
    throw new StatesRuntime(
      `${where(run)}Expected non-negative integer for MaxConcurrency, got '${JSON.stringify(value)}' instead.`,
    );
  return value === 0 ? Infinity : value;
}

/** Runs `count` jobs, at most `limit` at once; the first failure stops new ones and rejects. */
async function pool(
  count: number,
  limit: number,
  cancellation: Cancellation,
  job: (index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failure: unknown;
  const worker = async () => {
    while (next < count && failure === undefined && !cancellation.isCancelled()) {
      const index = next++;
      try {
        await job(index);
      } catch (err) {
        failure ??= err;
        cancellation.cancel();
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(count, limit) }, worker));
  if (failure !== undefined) throw failure;
}

/** ItemBatcher: items grouped into `{ Items: [...], BatchInput }` of at most MaxItemsPerBatch. */
async function batches(run: StateRun, inputs: unknown[]): Promise<unknown[]> {
  const batcher = run.state.ItemBatcher as Record<string, unknown> | undefined;
  if (!batcher) return inputs;
  const size = (await maybeExpression(run, batcher.MaxItemsPerBatch, 'MaxItemsPerBatch')) as
    number | undefined;
  const per = typeof size === 'number' && size > 0 ? size : inputs.length || 1;
  let batchInput = batcher.BatchInput;
  if (batchInput !== undefined)
    batchInput =
      run.language === 'JSONata'
        ? await jsonata(run, batchInput, 'BatchInput')
        : payloadTemplate(batchInput, pathData(run, run.input), run);
  const out: unknown[] = [];
  for (let i = 0; i < inputs.length; i += per)
    out.push(
      batchInput === undefined
        ? { Items: inputs.slice(i, i + per) }
        : { Items: inputs.slice(i, i + per), BatchInput: batchInput },
    );
  return out;
}

async function distributed(
  run: StateRun,
  input: unknown,
  processor: Processor,
  inputs: unknown[],
  concurrency: number,
): Promise<unknown> {
  const { engine, frame, name, state } = run;
  const history = engine.history;
  const label = typeof state.Label === 'string' ? state.Label : name;
  const toleratedCount = (await maybeExpression(
    run,
    state.ToleratedFailureCount,
    'ToleratedFailureCount',
  )) as number | undefined;
  const toleratedPercentage = (await maybeExpression(
    run,
    state.ToleratedFailurePercentage,
    'ToleratedFailurePercentage',
  )) as number | undefined;
  // Items per child: one each, or the size of each ItemBatcher batch.
  const plan = inputs.map((input) =>
    state.ItemBatcher && Array.isArray((input as { Items?: unknown[] })?.Items)
      ? (input as { Items: unknown[] }).Items.length
      : 1,
  );
  const mapRun = engine.openMapRun?.(
    label,
    {
      maxConcurrency: Number.isFinite(concurrency) ? concurrency : 0,
      toleratedFailureCount: toleratedCount ?? 0,
      toleratedFailurePercentage: toleratedPercentage ?? 0,
    },
    plan,
  );
  const mapRunArn =
    mapRun?.arn ?? `${engine.machine.arn.replace(':stateMachine:', ':mapRun:')}/${label}:${randomUUID()}`;
  history.add('MapRunStarted', frame.thread, { mapRunArn });
  const results: unknown[] = new Array(inputs.length);
  const outcomes: ChildOutcome[] = new Array(inputs.length);
  let failed = 0;
  const cancellation = new Cancellation(frame.cancellation);
  const now = () => engine.deps.clock.now();
  try {
    await pool(inputs.length, concurrency, cancellation, async (index) => {
      // A child execution: its own history, no outer variables.
      const record = mapRun?.startChild(inputs[index], plan[index]);
      // The parent's engine seen through a history of the child's own (not a spread: the
      // engine's methods live on its prototype, which a spread would leave behind).
      const child: Engine = Object.create(engine, {
        history: { value: record?.history ?? new History(now) },
      }) as Engine;
      const name = record?.name ?? randomUUID();
      const started = {
        arn: record?.arn ?? `${mapRunArn.replace(':mapRun:', ':execution:').replace(/:[^:]+$/, '')}:${name}`,
        name,
        stateMachineArn: mapRun?.stateMachineArn ?? `${engine.machine.arn}/${label}`,
        input: inputs[index],
        startDate: now(),
      };
      try {
        results[index] = await child.runStates(
          processor,
          inputs[index],
          { thread: '', scope: new VariableScope(), cancellation },
          child,
          engine.language,
        );
        record?.finish('SUCCEEDED', { output: results[index] });
        outcomes[index] = { ...started, status: 'SUCCEEDED', output: results[index], stopDate: now() };
      } catch (err) {
        if (!(err instanceof StateError)) throw err;
        failed++;
        record?.finish('FAILED', { error: err.error, cause: err.errorCause });
        results[index] = { Error: err.error, Cause: err.errorCause };
        outcomes[index] = {
          ...started,
          status: 'FAILED',
          error: err.error,
          cause: err.errorCause,
          stopDate: now(),
        };
      }
    });
  } catch (err) {
    // The parent ended (stopped, timed out, failed elsewhere): the run and its children abort.
    mapRun?.finish('ABORTED');
    throw err;
  }
  if (cancellation.isCancelled()) {
    mapRun?.finish('ABORTED');
    throw new Cancelled();
  }
  // Written whether or not the run failed: FAILED_0.json is where a failed run's items are found.
  let written: Awaited<ReturnType<typeof writeResults>> | undefined;
  if (state.ResultWriter !== undefined) {
    try {
      written = await writeResults(run, input, mapRunArn, outcomes);
    } catch (err) {
      mapRun?.finish('FAILED');
      history.add('MapRunFailed', frame.thread, {
        error: (err as StateError).error,
        cause: (err as StateError).errorCause,
      });
      history.add('MapStateFailed', frame.thread);
      throw err;
    }
    mapRun?.wrote(outcomes.length);
  }
  const overCount = failed > (toleratedCount ?? 0);
  const overPercentage = inputs.length > 0 && (failed / inputs.length) * 100 > (toleratedPercentage ?? 0);
  const tolerated =
    failed === 0 ||
    (toleratedCount !== undefined && !overCount) ||
    (toleratedPercentage !== undefined && !overPercentage);
  if (!tolerated) {
    mapRun?.finish('FAILED');
    history.add('MapRunFailed', frame.thread, {
      error: 'States.ExceedToleratedFailureThreshold',
      cause: 'The specified tolerated failure threshold was exceeded',
    });
    history.add('MapStateFailed', frame.thread);
    throw new StatesExceedToleratedFailureThreshold('The specified tolerated failure threshold was exceeded');
  }
  mapRun?.finish('SUCCEEDED');
  history.add('MapRunSucceeded', frame.thread);
  history.add('MapStateSucceeded', frame.thread);
  return written ?? results;
}
