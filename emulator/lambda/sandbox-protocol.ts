/** Messages between the main thread (sandbox.ts) and a sandbox worker (sandbox-runtime.ts). */
import type { UnawaitedCall } from './sandbox-sdk-calls.ts';

export type { UnawaitedCall };

export interface SandboxInit {
  shared: SharedArrayBuffer;
  sourceFile: string;
  /** The plain JavaScript the sandbox loads instead of a TypeScript source (handler-bundle.ts). */
  bundleFile?: string;
  /** Why the source could not be bundled: each invocation reports it, as Lambda reports an init error. */
  bundleError?: LambdaError;
  exportName: string;
  handler: string;
  functionName: string;
  functionArn: string;
  memorySize: number;
  region: string;
  /** The folder of packages the runtime provides (runtime-modules.ts), searched last. */
  runtimeModules: string;
  /** The local cloud's gateway: where calls to `*.amazonaws.com` go (sandbox-endpoints.ts). */
  endpoint: string;
  /** Its CloudWatch Logs stream (`context.logStreamName`). */
  logStreamName: string;
  /** When set, Math.random in the sandbox is a PRNG seeded with it: a check can be replayed. */
  seed?: number;
}

/** The first message a sandbox gets: the function it is for, and that function's environment. */
export interface InitRequest {
  t: 'init';
  init: SandboxInit;
  env: Record<string, string>;
}

export interface InvokeRequest {
  t: 'invoke';
  requestId: string;
  event: unknown;
  /** Virtual epoch ms at which the invocation times out. */
  deadline: number;
}

/**
 * A randomness probe (local checks only): the handler runs once per input, its
 * `Math.random` answering the input on its first call (the sandbox's own stream when the
 * input is null, and for later calls). No logs, no trace: the checker's measuring tool.
 */
export interface ProbeRequest {
  t: 'probe';
  requestId: string;
  event: unknown;
  inputs: Array<number | null>;
}

export interface ProbeAnswer {
  /** How many times the handler called Math.random for this input. */
  calls: number;
  ok: boolean;
  value?: unknown;
  error?: string;
}

export interface LambdaError {
  errorType: string;
  errorMessage: string;
  trace?: string[];
}

export type ToSandbox = InitRequest | InvokeRequest | ProbeRequest | { t: 'fire'; id: number };

export type FromSandbox =
  /** `unawaited`: the invocation's AWS SDK calls still in flight when the handler settled. */
  /** `memoryUsedMb`: the sandbox's V8 heap in use at the end, for the REPORT line's Max Memory Used. */
  | {
      t: 'result';
      requestId: string;
      ok: true;
      value: unknown;
      unawaited?: UnawaitedCall[];
      memoryUsedMb?: number;
    }
  | {
      t: 'result';
      requestId: string;
      ok: false;
      error: LambdaError;
      unawaited?: UnawaitedCall[];
      memoryUsedMb?: number;
    }
  | { t: 'probed'; requestId: string; answers: ProbeAnswer[] }
  | { t: 'log'; requestId: string | undefined; level: string; message: string }
  /** `due` is the virtual instant the sandbox expects: its own clock reading plus the delay. */
  | { t: 'timer'; id: number; ms: number; due: number }
  | { t: 'clear'; id: number }
  | { t: 'idle' }
  /** The runtime has loaded and waits for its `init` (nothing of a function is in it yet). */
  | { t: 'booted' }
  /**
   * The init phase is over: the handler loaded, or failed to (each invocation says why).
   * `packages`: the runtime's provided packages loaded by then (runtime-modules.ts).
   */
  | { t: 'ready'; packages: string[] };
