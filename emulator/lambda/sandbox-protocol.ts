/** Messages between the main thread (sandbox.ts) and a sandbox worker (sandbox-runtime.ts). */
export interface SandboxInit {
  shared: SharedArrayBuffer;
  sourceFile: string;
  exportName: string;
  handler: string;
  functionName: string;
  functionArn: string;
  memorySize: number;
  region: string;
  /** When set, Math.random in the sandbox is a PRNG seeded with it: a check can be replayed. */
  seed?: number;
}

export interface InvokeRequest {
  t: 'invoke';
  requestId: string;
  event: unknown;
  /** Virtual epoch ms at which the invocation times out. */
  deadline: number;
}

export interface LambdaError {
  errorType: string;
  errorMessage: string;
  trace?: string[];
}

export type ToSandbox = InvokeRequest | { t: 'fire'; id: number };

export type FromSandbox =
  | { t: 'result'; requestId: string; ok: true; value: unknown }
  | { t: 'result'; requestId: string; ok: false; error: LambdaError }
  | { t: 'log'; requestId: string | undefined; level: string; message: string }
  /** `due` is the virtual instant the sandbox expects: its own clock reading plus the delay. */
  | { t: 'timer'; id: number; ms: number; due: number }
  | { t: 'clear'; id: number }
  | { t: 'idle' }
  | { t: 'ready' };
