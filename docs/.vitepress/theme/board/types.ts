/**
 * What the board reads from the local cloud's `/_dojo/` endpoints. The board speaks HTTP to
 * the local cloud only, so these mirror the wire shapes rather than import the emulator.
 */
export interface TraceEntry {
  seq: number;
  /** Virtual epoch ms. */
  time: number;
  kind: string;
  cause?: number;
  [field: string]: unknown;
}

export type Speed = number | 'max' | 'paused';

export interface ClockState {
  now: number;
  iso: string;
  speed: Speed;
  advancing: boolean;
  pendingTimers: number;
}

export interface HealthInfo {
  ok: boolean;
  endpoint: string;
  region: string;
  clock: ClockState;
}

export interface HttpApiInfo {
  apiId: string;
  url: string;
  /** Route keys such as `GET /viruses`. */
  routes: string[];
}

export interface StackInfo {
  stacks: Array<{ name: string }>;
  httpApis: HttpApiInfo[];
  functions: Array<{ name: string; handler: string; arn: string }>;
}

/** A virus as the learner's API returns it. */
export interface Virus {
  id: string;
  createdAt?: string;
}
