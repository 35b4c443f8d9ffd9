/**
 * The board's link to the local cloud: checks it is there, then follows the trace stream
 * (SSE), which replays the history before going live. When the cloud goes away it says so
 * and tries again every few seconds; every new link replays the trace from the start, so
 * the board rebuilds itself (the cloud may have restarted with a new history).
 */
import { CloudApi } from './cloud-api.ts';
import type { ClockState, HealthInfo, TraceEntry } from './types.ts';

export type LinkStatus = 'connecting' | 'online' | 'offline';

export interface LinkListener {
  status(status: LinkStatus, retryAt?: number): void;
  /** A new link: forget what the previous one said. */
  reset(health: HealthInfo): void;
  entry(entry: TraceEntry): void;
  clock(state: ClockState): void;
}

export const RETRY_MS = 3000;

export class CloudLink {
  private source: EventSource | undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;
  private attempt = 0;

  constructor(
    readonly api: CloudApi,
    private readonly listener: LinkListener,
  ) {}

  start(): void {
    void this.connect();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.source?.close();
    this.source = undefined;
  }

  /** Skip the wait and try again now. */
  retryNow(): void {
    if (this.stopped || this.source) return;
    clearTimeout(this.retryTimer);
    void this.connect();
  }

  private async connect(): Promise<void> {
    const attempt = ++this.attempt;
    this.listener.status('connecting');
    let health: HealthInfo;
    try {
      // A plain request first: a refused EventSource retries on its own and floods the console.
      health = await this.api.health();
    } catch {
      if (attempt === this.attempt) this.offline();
      return;
    }
    if (this.stopped || attempt !== this.attempt) return;
    this.listener.reset(health);
    this.listener.clock(health.clock);
    const source = new EventSource(this.api.traceUrl());
    this.source = source;
    source.addEventListener('open', () => this.listener.status('online'));
    source.addEventListener('trace', (m) =>
      this.listener.entry(JSON.parse((m as MessageEvent<string>).data) as TraceEntry),
    );
    source.addEventListener('clock', (m) =>
      this.listener.clock(JSON.parse((m as MessageEvent<string>).data) as ClockState),
    );
    source.addEventListener('error', () => {
      if (this.source !== source) return;
      source.close();
      this.source = undefined;
      this.offline();
    });
  }

  private offline(): void {
    if (this.stopped) return;
    const retryAt = Date.now() + RETRY_MS;
    this.listener.status('offline', retryAt);
    this.retryTimer = setTimeout(() => void this.connect(), RETRY_MS);
  }
}
