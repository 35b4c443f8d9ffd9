/**
 * When the local cloud has done all it will for session 3's bonus observation, read from its
 * trace: the waits of push-observe.ts end there instead of at their real-time timeout, so a
 * mistake (a board that never gets the push, a connection $disconnect never deletes) is told
 * at once. On AWS there is no trace and only time tells; these answers are for the local cloud.
 *
 * "Settled" never means "it went well": it means nothing more is coming, so what the check
 * sees then is what it would see after any longer wait.
 * - A write to the virus table: the stream's poller starts a batch as soon as a record is
 *   appended (before the write's answer reaches the writer), unless a batch is in flight, a
 *   failed one waits for its retry, or the mapping's batching window gathers. So the writes
 *   are settled when no batch on the table's stream is in flight, the last one ended well (or
 *   its records were given up, or the same records failed twice: a retry runs the same code on
 *   the same records), the batching window has passed, and every message the runs posted to
 *   the observed connections has reached its client.
 * - A client that closed: its `websocket.disconnect` is traced, and either the `$disconnect`
 *   route runs no function (the template says so) or the run it caused has ended.
 * A run that ended while its own AWS calls were in flight (`invoke.unawaited`: a forgotten
 * await, or a Promise.all that rejected while its other calls ran on) is not over until those
 * calls have had time to land: the local cloud lets them finish, and the trace does not say when.
 * A failed retry's calls are not waited for again: they repeat those of the run before it.
 */
import { realNow, type Trace, type TraceEntry } from '../../../emulator/index.ts';

/**
 * Real time given to the AWS calls a run left in flight: each is a loopback request to the
 * local cloud, done in milliseconds even on a loaded machine.
 */
const UNAWAITED_GRACE_MS = 1000;

export interface SettledOptions {
  /** The virus table's name: its stream's batches are the pushes. */
  table: string;
  /** The mapping's MaximumBatchingWindowInSeconds, in ms (0: a batch starts at once). */
  batchWindowMs: number;
  /** Whether the `$disconnect` route runs a function (from the template). */
  disconnectRuns: boolean;
  /** The target's (virtual) clock. */
  now(): number;
  /** Where the observation began: connections accepted after it are the observed clients. */
  fromSeq: number;
  /** Real ms given to calls a run left in flight (default UNAWAITED_GRACE_MS). */
  unawaitedGraceMs?: number;
}

export class PushSettled {
  /** When (real time) each invoke.unawaited entry was first seen: the trace's own times are virtual. */
  private readonly unawaitedSeen = new Map<number, number>();

  constructor(
    private readonly trace: Trace,
    private readonly options: SettledOptions,
  ) {}

  /** The last entry so far: what a wait that starts now counts from. */
  mark(): number {
    return this.trace.all().at(-1)?.seq ?? 0;
  }

  /** Whether what the virus table's writes after `mark` cause has all happened, `received` messages having arrived. */
  writes(mark: number, received: number): boolean {
    return this.streamIdle(mark) && received >= this.sentToObserved();
  }

  /** Whether every connection that closed after `mark` has had its `$disconnect` (at least one closed). */
  closed(mark: number): boolean {
    const gone = this.trace.find('websocket.disconnect', (e) => e.seq > mark);
    if (gone.length === 0) return false;
    if (!this.options.disconnectRuns) return true;
    return gone.every((d) => this.runEnded(d.seq));
  }

  private streamIdle(mark: number): boolean {
    const { table, batchWindowMs, now } = this.options;
    const lastWrite = this.trace.find('dynamodb.write', (e) => e.seq > mark && e.table === table).at(-1);
    // The window's timer starts when the poller first sees the record: a second of margin.
    if (batchWindowMs > 0 && lastWrite && now() < lastWrite.time + batchWindowMs + 1000) return false;
    const stream = `:table/${table}/stream/`;
    const byMapping = new Map<string, Array<TraceEntry<'esm.batch'>>>();
    for (const b of this.trace.find('esm.batch', (e) => e.eventSourceArn.includes(stream)))
      byMapping.set(b.uuid, [...(byMapping.get(b.uuid) ?? []), b]);
    return [...byMapping.values()].every((batches) => this.mappingIdle(batches, mark));
  }

  /** Whether a mapping has nothing in flight and nothing to retry; `batches`: its batches, in order. */
  private mappingIdle(batches: Array<TraceEntry<'esm.batch'>>, mark: number): boolean {
    const ids = new Set(batches.map((b) => b.seq));
    const results = new Map(
      this.trace
        .find('esm.result', (e) => e.cause !== undefined && ids.has(e.cause))
        .map((r) => [r.cause, r]),
    );
    if (batches.some((b) => !results.has(b.seq))) return false;
    const failed = (b: TraceEntry<'esm.batch'> | undefined) => b !== undefined && !results.get(b.seq)!.ok;
    /** A failed retry of records that had failed just before: it did again what that run did. */
    const repeat = (i: number) =>
      failed(batches[i]) && failed(batches[i - 1]) && sameRecords(batches[i], batches[i - 1]);
    // The calls a repeat left in flight are the same as those of the run it repeats, given their grace.
    if (batches.some((b, i) => b.seq > mark && !repeat(i) && this.leftCallsInFlight(b.seq))) return false;
    const last = batches.at(-1)!;
    const result = results.get(last.seq)!;
    if (result.ok) return true;
    // Given up (retries spent, records too old): the poller has moved on.
    if (this.trace.find('esm.discard', (e) => e.seq > result.seq && e.uuid === last.uuid).length) return true;
    // Else a retry is due: worth waiting for once (a first failure may be a timeout under load);
    // the same records failing again will fail on, each retry running the same code on them.
    return repeat(batches.length - 1);
  }

  /** Whether the run `cause` started (its invoke.start is traced after the cold start) has ended. */
  private runEnded(cause: number): boolean {
    const start = this.trace.find('invoke.start', (e) => e.cause === cause)[0];
    return (
      start !== undefined &&
      this.trace.find('invoke.end', (e) => e.cause === start.seq).length > 0 &&
      !this.leftCallsInFlight(cause)
    );
  }

  /** Whether the run `cause` started ended with its own AWS calls in flight, too lately for them to have landed. */
  private leftCallsInFlight(cause: number): boolean {
    const start = this.trace.find('invoke.start', (e) => e.cause === cause)[0];
    if (!start) return false;
    const grace = this.options.unawaitedGraceMs ?? UNAWAITED_GRACE_MS;
    return this.trace
      .find('invoke.unawaited', (e) => e.cause === start.seq)
      .some((e) => {
        if (!this.unawaitedSeen.has(e.seq)) this.unawaitedSeen.set(e.seq, realNow());
        return realNow() - this.unawaitedSeen.get(e.seq)! < grace;
      });
  }

  /** How many messages PostToConnection handed to the connections accepted since the observation began. */
  private sentToObserved(): number {
    const { fromSeq } = this.options;
    const observed = new Set(
      this.trace
        .find('websocket.connect', (e) => e.seq > fromSeq && e.status >= 200 && e.status <= 299)
        .map((e) => e.connectionId),
    );
    return this.trace.find('websocket.send', (e) => e.seq > fromSeq && observed.has(e.connectionId)).length;
  }
}

/** Whether two batches hand the function the same records (a retry does; half of a bisected batch does not). */
function sameRecords(a: TraceEntry<'esm.batch'>, b: TraceEntry<'esm.batch'>): boolean {
  return a.cause === b.cause && a.records === b.records;
}
