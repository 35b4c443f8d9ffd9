import { parentPort, workerData } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { format } from 'node:util';
import type { FromSandbox, InvokeRequest, LambdaError, SandboxInit, ToSandbox } from './sandbox-protocol.ts';
import { installVirtualTime } from './sandbox-time.ts';

/**
 * Runs inside a worker thread: one Lambda execution environment. Loads the handler once
 * (cold start), then serves invocations one at a time, like Lambda does.
 */
const init = workerData as SandboxInit;
const port = parentPort!;
const post = (m: FromSandbox) => port.postMessage(m);

let currentRequestId: string | undefined;
if (init.seed !== undefined) Math.random = mulberry32(init.seed);
const time = installVirtualTime(init.shared, post);

for (const level of ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const) {
  console[level] = (...args: unknown[]) =>
    post({ t: 'log', requestId: currentRequestId, level: level === 'log' ? 'INFO' : level.toUpperCase(), message: format(...args) });
}

// Init phase, as in Lambda: the handler module loads when the sandbox starts, before any
// invocation, so its cost never counts against the function's timeout. A failed load is
// reported by each invocation (Runtime.ImportModuleError, ...), like Lambda does.
let handlerPromise: Promise<(event: unknown, context: unknown) => unknown> | undefined = loadHandler();
handlerPromise.then(
  () => post({ t: 'ready' }),
  () => post({ t: 'ready' }),
);

port.on('message', (msg: ToSandbox) => {
  if (msg.t === 'fire') time.fire(msg.id);
  else if (msg.t === 'invoke') void invoke(msg);
});

async function invoke(req: InvokeRequest): Promise<void> {
  currentRequestId = req.requestId;
  time.beginInvocation();
  try {
    handlerPromise ??= loadHandler();
    const handler = await handlerPromise;
    const context = {
      awsRequestId: req.requestId,
      functionName: init.functionName,
      functionVersion: '$LATEST',
      invokedFunctionArn: init.functionArn,
      memoryLimitInMB: String(init.memorySize),
      logGroupName: `/aws/lambda/${init.functionName}`,
      logStreamName: `local/[$LATEST]${req.requestId.replace(/-/g, '')}`,
      callbackWaitsForEmptyEventLoop: true,
      getRemainingTimeInMillis: () => Math.max(0, req.deadline - Date.now()),
    };
    const value = await callHandler(handler, req.event, context);
    post({ t: 'result', requestId: req.requestId, ok: true, value: value === undefined ? null : value });
  } catch (err) {
    post({ t: 'result', requestId: req.requestId, ok: false, error: toLambdaError(err) });
  } finally {
    time.endInvocation();
  }
}

function callHandler(handler: (...args: unknown[]) => unknown, event: unknown, context: unknown): Promise<unknown> {
  // Callback-style handlers (event, context, callback) still exist in learners' code.
  if (handler.length >= 3) {
    return new Promise((resolve, reject) => {
      const maybe = handler(event, context, (err: unknown, value: unknown) => (err ? reject(err) : resolve(value)));
      if (maybe && typeof (maybe as Promise<unknown>).then === 'function') (maybe as Promise<unknown>).then(resolve, reject);
    });
  }
  return Promise.resolve().then(() => handler(event, context));
}

async function loadHandler(): Promise<(event: unknown, context: unknown) => unknown> {
  if (!existsSync(init.sourceFile)) {
    throw runtimeError(
      'Runtime.ImportModuleError',
      `Error: Cannot find module '${init.handler.replace(/\.[^.]+$/, '')}'. The handler "${init.handler}" points at ${init.sourceFile}, which does not exist: check the handler path in serverless.ts.`,
    );
  }
  let mod: Record<string, unknown>;
  try {
    mod = await import(pathToFileURL(init.sourceFile).href);
  } catch (err) {
    const e = err as Error;
    const syntax = e.name === 'SyntaxError' || /Transform failed|Expected|Unexpected/.test(e.message);
    throw runtimeError(syntax ? 'Runtime.UserCodeSyntaxError' : 'Runtime.ImportModuleError', `${e.name}: ${e.message}`, e.stack);
  }
  const fn = mod[init.exportName] ?? (mod.default as Record<string, unknown> | undefined)?.[init.exportName];
  if (typeof fn !== 'function') {
    throw runtimeError(
      'Runtime.HandlerNotFound',
      `${init.handler.split('/').pop()} is undefined or not exported. ${init.sourceFile} must export a function named "${init.exportName}".`,
    );
  }
  return fn as (event: unknown, context: unknown) => unknown;
}

function runtimeError(errorType: string, errorMessage: string, stack?: string): Error {
  const e = new Error(errorMessage);
  e.name = errorType;
  if (stack) e.stack = stack;
  return e;
}

function toLambdaError(err: unknown): LambdaError {
  if (err instanceof Error) {
    const trace = (err.stack ?? `${err.name}: ${err.message}`).split('\n');
    return { errorType: err.name || 'Error', errorMessage: err.message, trace };
  }
  return { errorType: typeof err === 'string' ? 'string' : 'Error', errorMessage: typeof err === 'string' ? err : JSON.stringify(err) };
}

process.on('unhandledRejection', (reason) => {
  const error = toLambdaError(reason);
  post({ t: 'log', requestId: currentRequestId, level: 'ERROR', message: `Unhandled Promise Rejection\t${JSON.stringify(error)}` });
});

/** A small, good-enough PRNG (mulberry32): uniform on [0, 1), 2^32 period. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
