/**
 * The AWS SDK calls in flight inside a sandbox, per invocation: what lets the runtime say
 * "createVirus returned while its DynamoDB PutItem was still in flight".
 *
 * Why at the SDK and not at the socket: an unawaited `ddb.send(...)` has not reached
 * `http.request` when the handler returns (the SDK's middleware, signing and credential
 * lookup take many promise turns, and a first call loads modules), so a socket-level view
 * would miss exactly the bug it is for. Every SDK v3 client inherits `send` from smithy's
 * `Client` class; the runtime wraps that one method, in the copy the handler's own
 * node_modules resolves to (the ESM-imported CommonJS module and `require` share it). A
 * call counts from `send` until its promise settles (or its callback runs).
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export interface UnawaitedCall {
  /** The client's service id, e.g. "DynamoDB", "EventBridge". */
  service: string;
  /** The API operation, e.g. "PutItem" (a document client's PutCommand is a PutItem). */
  operation: string;
  /** The learner's code that made the call, when the stack shows it. */
  file?: string;
  line?: number;
  column?: number;
}

interface Call {
  requestId: string;
  service: string;
  operation: string;
  /** Created at `send`; its stack is only formatted when the call is reported. */
  origin: Error;
  done: Promise<void>;
}

export interface SdkCallTracker {
  /** Wraps the SDK the handler at `sourceFile` loaded (nothing to do if it loaded none). */
  instrument(sourceFile: string): void;
  /** The calls `requestId` made that have not settled yet. */
  inFlight(requestId: string): UnawaitedCall[];
  /** Resolves when every call `requestId` made has settled. */
  settled(requestId: string): Promise<void>;
}

// Where smithy's Client lives: @smithy/core/client today, @smithy/smithy-client in SDKs before 3.9xx.
const CLIENT_MODULES = ['@smithy/core/client', '@smithy/smithy-client'];
const WRAPPED = Symbol.for('serverless-dojo.sdk-calls');
const THIS_FILE = fileURLToPath(import.meta.url);

export function createSdkCallTracker(currentRequestId: () => string | undefined): SdkCallTracker {
  const calls = new Set<Call>();

  const wrap = (proto: { send: (...args: unknown[]) => unknown; [WRAPPED]?: boolean }) => {
    if (proto[WRAPPED]) return;
    const original = proto.send;
    proto[WRAPPED] = true;
    proto.send = function send(
      this: { config?: { serviceId?: string } },
      command: unknown,
      ...rest: unknown[]
    ) {
      const requestId = currentRequestId();
      if (requestId === undefined) return original.call(this, command, ...rest);
      let end!: () => void;
      const call: Call = {
        requestId,
        service: this.config?.serviceId ?? 'AWS',
        operation: operationOf(command),
        origin: new Error(),
        done: new Promise<void>((r) => (end = r)),
      };
      calls.add(call);
      const finish = () => {
        calls.delete(call);
        end();
      };
      const callback =
        typeof rest.at(-1) === 'function'
          ? (rest.pop() as (err: unknown, data?: unknown) => void)
          : undefined;
      if (callback) {
        return original.call(this, command, ...rest, (err: unknown, data: unknown) => {
          finish();
          callback(err, data);
        });
      }
      // `finally` hands back a promise that settles like the SDK's: an unawaited call that
      // fails still surfaces as an unhandled rejection, as it would without the wrapper.
      return (original.call(this, command, ...rest) as Promise<unknown>).finally(finish);
    };
  };

  return {
    instrument(sourceFile) {
      for (const Client of findClientClasses(sourceFile))
        wrap(Client.prototype as Parameters<typeof wrap>[0]);
    },
    inFlight(requestId) {
      return [...calls]
        .filter((c) => c.requestId === requestId)
        .map((c) => ({ service: c.service, operation: c.operation, ...callerOf(c.origin) }));
    },
    async settled(requestId) {
      await Promise.all([...calls].filter((c) => c.requestId === requestId).map((c) => c.done));
    },
  };
}

/**
 * smithy's Client classes that the handler at `sourceFile` loaded (none if it loaded no SDK):
 * from its own node_modules, or the runtime's (runtime-modules.ts, on NODE_PATH).
 */
export function findClientClasses(sourceFile: string): Array<{ prototype: { send: unknown } }> {
  const require = createRequire(sourceFile);
  const found: Array<{ prototype: { send: unknown } }> = [];
  for (const name of CLIENT_MODULES) {
    let path: string;
    try {
      path = require.resolve(name);
    } catch {
      continue;
    }
    // Only what the handler loaded: a handler without the SDK pays nothing.
    if (!require.cache[path]) continue;
    const Client = (require(name) as { Client?: { prototype?: { send?: unknown } } }).Client;
    if (typeof Client?.prototype?.send === 'function') found.push(Client as { prototype: { send: unknown } });
  }
  return found;
}

/** "PutItem" for a PutItemCommand, and for a document client's PutCommand (it wraps one). */
function operationOf(command: unknown): string {
  const c = command as { clientCommand?: object; constructor?: { name?: string } } | undefined;
  const name = (c?.clientCommand ?? c)?.constructor?.name ?? '';
  return name.replace(/Command$/, '') || 'call';
}

/** The first frame of the stack outside the SDK, Node and this file: the learner's line. */
function callerOf(origin: Error): Pick<UnawaitedCall, 'file' | 'line' | 'column'> {
  for (const frame of (origin.stack ?? '').split('\n').slice(1)) {
    const m = /\(?((?:file:\/\/)?\/[^():]+):(\d+):(\d+)\)?\s*$/.exec(frame);
    if (!m) continue;
    const file = m[1].startsWith('file://') ? fileURLToPath(m[1]) : m[1];
    if (file === THIS_FILE || file.includes('/node_modules/')) continue;
    return { file, line: Number(m[2]), column: Number(m[3]) };
  }
  return {};
}
