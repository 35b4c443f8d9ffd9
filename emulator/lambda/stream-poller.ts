/**
 * Lambda's poller for a DynamoDB stream, on the virtual clock, as AWS documents it
 * (https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html, services-ddb-params.html,
 * services-dynamodb-errors.html, services-ddb-batchfailurereporting.html):
 * - records are read in order from StartingPosition (TRIM_HORIZON or LATEST), up to BatchSize
 *   at once, gathering for MaximumBatchingWindowInSeconds when the batch is not full; each
 *   batch is one synchronous invoke with `{ Records }`, each record carrying eventSourceARN;
 * - records no filter matches (the pattern is matched on the record, `dynamodb` and
 *   `eventName` among its fields) are passed over without an invoke;
 * - a failed batch blocks the shard and is retried (after 1 s, doubling up to a minute: a
 *   local choice, AWS does not publish its backoff) until it succeeds, its records are older
 *   than MaximumRecordAgeInSeconds or the stream's 24 h retention, or MaximumRetryAttempts
 *   retries are spent; then its records are discarded, and described to the OnFailure queue;
 * - BisectBatchOnFunctionError splits a failed batch in two, each half retried on its own;
 *   a split does not spend a retry;
 * - with ReportBatchItemFailures, the lowest sequence number reported is the checkpoint: the
 *   records before it succeeded, the rest is retried (split there when bisecting).
 * Traced as the SQS mappings are: esm.batch (caused by the first record's write), esm.result
 * (failed: sequence numbers), and esm.discard for what was given up.
 */
import type { VirtualClock } from '../core/clock.ts';
import type { Trace } from '../core/trace.ts';
import type { StreamEntry, TableStreams } from '../dynamodb/streams.ts';
import { matchesPattern, type EventPattern } from '../events/index.ts';
import { reportedFailures } from './batch-response.ts';
import type { InvokeResult } from './service.ts';

export interface StreamPollerConfig {
  uuid: string;
  streamArn: string;
  functionArn: () => string;
  batchSize: number;
  windowSeconds: number;
  startingPosition: 'TRIM_HORIZON' | 'LATEST';
  filters: EventPattern[];
  bisect: boolean;
  /** -1: no limit. */
  maxRetries: number;
  /** -1: no limit (the stream's retention still is). */
  maxRecordAgeSeconds: number;
  reportItemFailures: boolean;
  /** Where discarded batches are described (an SQS queue ARN). */
  onFailure?: string;
}

export interface StreamPollerDeps {
  clock: VirtualClock;
  trace: Trace;
  region: string;
  streams: TableStreams;
  invoke(
    functionArn: string,
    event: unknown,
    opts: { cause?: number; source: string },
  ): Promise<InvokeResult>;
  /** Sends the failure record to the OnFailure queue; throws when it cannot. */
  sendToQueue(queueArn: string, body: string, cause: number | undefined): void;
}

type Condition = 'RetryAttemptsExhausted' | 'RecordAgeExceeded';

const RETENTION_MS = 24 * 3600_000;
const FIRST_RETRY_MS = 1000;
const LONGEST_RETRY_MS = 60_000;

export class StreamPoller {
  private position: bigint;
  private busy = false;
  private again = false;
  private stopped = false;
  private windowTimer: unknown;
  private windowDue = false;
  private wake?: { timer: unknown; resolve(): void };
  private readonly unwatch: () => void;
  private lastResult = 'No records processed';

  /** `from`: where a mapping enabled again resumes (its checkpoint); else StartingPosition. */
  constructor(
    private config: StreamPollerConfig,
    private readonly deps: StreamPollerDeps,
    from?: bigint,
  ) {
    const { streams } = deps;
    this.position =
      from !== undefined
        ? from
        : config.startingPosition === 'LATEST'
          ? streams.latestPosition(config.streamArn)
          : streams.trimHorizon(config.streamArn);
    this.unwatch = streams.watch(config.streamArn, () => this.poke());
    this.poke();
  }

  /** The next sequence number to read: the mapping's checkpoint. */
  get checkpoint(): bigint {
    return this.position;
  }

  /** LastProcessingResult, as GetEventSourceMapping shows it. */
  get result(): string {
    return this.lastResult;
  }

  /** New settings for the same stream and position (UpdateEventSourceMapping). */
  reconfigure(config: StreamPollerConfig): void {
    this.config = config;
    this.poke();
  }

  stop(): void {
    this.stopped = true;
    this.unwatch();
    if (this.windowTimer !== undefined) this.deps.clock.clearTimeout(this.windowTimer);
    this.windowTimer = undefined;
    if (this.wake) {
      this.deps.clock.clearTimeout(this.wake.timer);
      this.wake.resolve();
    }
  }

  private poke(): void {
    if (this.busy) {
      this.again = true;
      return;
    }
    queueMicrotask(() => void this.run());
  }

  private async run(): Promise<void> {
    if (this.busy || this.stopped || !this.deps.streams.has(this.config.streamArn)) return;
    const { streams } = this.deps;
    // Records trimmed while nobody read them are gone for this reader too.
    const horizon = streams.trimHorizon(this.config.streamArn);
    if (this.position < horizon) this.position = horizon;
    const entries = streams.read(this.config.streamArn, this.position, this.config.batchSize);
    if (entries.length === 0) return;
    const window = this.config.windowSeconds;
    if (window > 0 && entries.length < this.config.batchSize && !this.windowDue) {
      this.windowTimer ??= this.deps.clock.setTimeout(() => {
        this.windowTimer = undefined;
        this.windowDue = true;
        this.poke();
      }, window * 1000);
      return;
    }
    if (this.windowTimer !== undefined) this.deps.clock.clearTimeout(this.windowTimer);
    this.windowTimer = undefined;
    this.windowDue = false;
    this.busy = true;
    this.again = false;
    try {
      const kept = entries.filter(
        (e) =>
          this.config.filters.length === 0 ||
          this.config.filters.some((f) => matchesPattern(f, this.record(e))),
      );
      if (kept.length > 0) await this.settle(kept, 0);
      // Stopped mid-batch (disabled, deleted): the checkpoint stays before it.
      if (!this.stopped) this.position = entries.at(-1)!.seq + 1n;
    } finally {
      this.busy = false;
    }
    if (!this.stopped) this.poke();
  }

  /** Delivers the records until they succeed or are discarded; `retries`: retries spent on them. */
  private async settle(records: StreamEntry[], retries: number): Promise<void> {
    let delay = FIRST_RETRY_MS;
    let invokes = 0;
    let last: InvokeResult | undefined;
    while (!this.stopped) {
      const old = this.tooOld(records);
      if (old.length) {
        await this.discard(old, 'RecordAgeExceeded', invokes, last);
        records = records.filter((r) => !old.includes(r));
        if (records.length === 0) return;
      }
      const outcome = await this.deliver(records);
      invokes++;
      last = outcome.result;
      if (outcome.failedFrom === undefined) return;
      const failedFromIndex = records.findIndex((r) => String(r.seq) === outcome.failedFrom);
      const rest = records.slice(Math.max(0, failedFromIndex));
      const functionError = failedFromIndex <= 0 && !outcome.partial;
      if (this.config.bisect && functionError && rest.length > 1) {
        // A split spends no retry: each half starts with the retries its batch had.
        const half = Math.ceil(rest.length / 2);
        await this.settle(rest.slice(0, half), retries);
        await this.settle(rest.slice(half), retries);
        return;
      }
      records = rest;
      if (this.config.maxRetries !== -1 && retries >= this.config.maxRetries) {
        await this.discard(records, 'RetryAttemptsExhausted', invokes, last);
        return;
      }
      retries++;
      await this.sleep(delay);
      delay = Math.min(delay * 2, LONGEST_RETRY_MS);
    }
  }

  /**
   * One invoke. `failedFrom`: the sequence number from which the batch is retried (the first
   * record when the invoke failed), undefined when it succeeded.
   */
  private async deliver(
    records: StreamEntry[],
  ): Promise<{ failedFrom?: string; partial: boolean; result?: InvokeResult }> {
    const start = this.deps.trace.record({
      kind: 'esm.batch',
      cause: records[0].cause,
      uuid: this.config.uuid,
      eventSourceArn: this.config.streamArn,
      function: this.config.functionArn(),
      records: records.length,
    });
    let result: InvokeResult | undefined;
    try {
      result = await this.deps.invoke(
        this.config.functionArn(),
        { Records: records.map((r) => this.record(r)) },
        {
          cause: start.seq,
          source: `dynamodb stream ${this.deps.streams.describe(this.config.streamArn).table}`,
        },
      );
    } catch {
      result = undefined;
    }
    const seqs = records.map((r) => String(r.seq));
    let failed: string[] = [];
    let partial = false;
    if (!result || !result.ok) failed = seqs;
    else if (this.config.reportItemFailures) {
      const outcome = reportedFailures(result.payload, seqs);
      if (outcome.all) failed = seqs;
      else if (outcome.failed.length) {
        // The lowest sequence number reported is the checkpoint: retried from there on.
        const from = seqs.findIndex((s) => outcome.failed.includes(s));
        failed = seqs.slice(from);
        partial = true;
      }
    }
    this.deps.trace.record({
      kind: 'esm.result',
      cause: start.seq,
      uuid: this.config.uuid,
      ok: failed.length === 0,
      failed,
    });
    this.lastResult = failed.length === 0 ? 'OK' : 'PROBLEM: Function call failed';
    return { failedFrom: failed[0], partial, result };
  }

  private tooOld(records: StreamEntry[]): StreamEntry[] {
    const now = this.deps.clock.now();
    const maxAge = this.config.maxRecordAgeSeconds;
    return records.filter((r) => now - r.at >= RETENTION_MS || (maxAge !== -1 && now - r.at > maxAge * 1000));
  }

  /** Gives the records up; the OnFailure queue gets AWS's invocation record describing them. */
  private async discard(
    records: StreamEntry[],
    condition: Condition,
    invokes: number,
    last: InvokeResult | undefined,
  ): Promise<void> {
    const destination = this.config.onFailure;
    const entry = this.deps.trace.record({
      kind: 'esm.discard',
      uuid: this.config.uuid,
      eventSourceArn: this.config.streamArn,
      condition,
      records: records.length,
      ...(destination ? { destination } : {}),
    });
    if (!destination) return;
    const stream = this.deps.streams.describeStream({ StreamArn: this.config.streamArn }).StreamDescription;
    const arrival = (r: StreamEntry) =>
      new Date(Math.floor(r.at / 1000) * 1000).toISOString().replace('.000Z', 'Z');
    const body = {
      requestContext: {
        requestId: last?.requestId ?? '',
        functionArn: this.config.functionArn(),
        condition,
        approximateInvokeCount: invokes,
      },
      responseContext: {
        statusCode: 200,
        executedVersion: '$LATEST',
        functionError: last && !last.ok ? 'Unhandled' : '',
      },
      version: '1.0',
      timestamp: new Date(this.deps.clock.now()).toISOString(),
      DDBStreamBatchInfo: {
        shardId: stream.Shards[0]?.ShardId ?? '',
        startSequenceNumber: String(records[0].seq),
        endSequenceNumber: String(records.at(-1)!.seq),
        approximateArrivalOfFirstRecord: arrival(records[0]),
        approximateArrivalOfLastRecord: arrival(records.at(-1)!),
        batchSize: records.length,
        streamArn: this.config.streamArn,
      },
    };
    try {
      this.deps.sendToQueue(destination, JSON.stringify(body), entry.seq);
    } catch (err) {
      this.deps.trace.record({
        kind: 'stack.warning',
        message: `Event source mapping ${this.config.uuid} could not send its failure record to ${destination}: ${(err as Error).message}`,
      });
    }
  }

  /** A record as the function gets it: GetRecords' record, with the stream's ARN. */
  private record(e: StreamEntry): object {
    return { ...e.record, eventSourceARN: this.config.streamArn };
  }

  /** Waits on the virtual clock; stop() ends the wait. */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = this.deps.clock.setTimeout(() => {
        this.wake = undefined;
        resolve();
      }, ms);
      this.wake = { timer, resolve };
    });
  }
}
