import { EventEmitter } from 'node:events';

/**
 * The trace: everything the local cloud did, in virtual time, with causal links. The
 * checker reads it, the board and the CLI stream it (SSE). Each entry has a `seq` (its
 * id), the virtual `time`, a `kind`, and an optional `cause` (the seq of what led to it).
 */
export type TraceKind =
  | 'invoke.start'
  | 'invoke.end'
  | 'log'
  | 'dynamodb.write'
  | 'http.request'
  | 'http.response'
  | 'events.put'
  | 'events.rejected'
  | 'rule.match'
  | 'target.invoke'
  | 'target.error'
  | 'schedule.fire'
  | 'sfn.execution.start'
  | 'sfn.execution.end'
  | 'sfn.state.enter'
  | 'sfn.state.exit'
  | 'sfn.task.token'
  | 'stack.deploy'
  | 'stack.delete'
  | 'stack.warning'
  | 'clock';

export interface TraceEntry {
  seq: number;
  time: number;
  kind: TraceKind;
  cause?: number;
  [field: string]: unknown;
}

export type TraceInput = { kind: TraceKind; cause?: number } & Record<string, unknown>;

export class Trace {
  private readonly entries: TraceEntry[] = [];
  private readonly emitter = new EventEmitter();
  private nextSeq = 1;

  constructor(
    private readonly now: () => number,
    private readonly limit = 200_000,
  ) {
    this.emitter.setMaxListeners(0);
  }

  record(input: TraceInput): TraceEntry {
    const entry = { ...input, seq: this.nextSeq++, time: this.now() } as TraceEntry;
    this.entries.push(entry);
    // A long `npm start` must not grow without bound; checks stay far below the limit.
    if (this.entries.length > this.limit) this.entries.splice(0, this.entries.length - this.limit);
    this.emitter.emit('entry', entry);
    return entry;
  }

  all(): readonly TraceEntry[] {
    return this.entries;
  }

  since(seq: number): TraceEntry[] {
    return this.entries.filter((e) => e.seq > seq);
  }

  find(kind: TraceKind, where: (e: TraceEntry) => boolean = () => true): TraceEntry[] {
    return this.entries.filter((e) => e.kind === kind && where(e));
  }

  get(seq: number): TraceEntry | undefined {
    return this.entries.find((e) => e.seq === seq);
  }

  /** The chain of causes that led to `seq`, oldest first. */
  causes(seq: number): TraceEntry[] {
    const chain: TraceEntry[] = [];
    let e = this.get(seq);
    while (e) {
      chain.unshift(e);
      e = e.cause ? this.get(e.cause) : undefined;
    }
    return chain;
  }

  subscribe(listener: (entry: TraceEntry) => void): () => void {
    this.emitter.on('entry', listener);
    return () => this.emitter.off('entry', listener);
  }

  clear(): void {
    this.entries.length = 0;
  }
}

/** Keeps trace entries small: big payloads are cut, not copied whole. */
export function summarize(value: unknown): unknown {
  try {
    const json = JSON.stringify(value);
    if (json === undefined) return null;
    return json.length > 4096 ? `${json.slice(0, 4096)}…` : value;
  } catch {
    return String(value);
  }
}
