/**
 * Unawaited AWS calls, told the learner's way. The sandbox reports the SDK calls an
 * invocation still had in flight when its handler settled (sandbox-sdk-calls.ts); this
 * module names them: "createVirus returned while its DynamoDB PutItem was still in
 * flight: on AWS it may never run. Did you forget await at functions/createVirus/handler.ts:9?"
 * (a handler that failed is also told of Promise.all, which leaves its other calls running).
 *
 * On AWS, Lambda freezes the execution environment once an async handler settles: the
 * call may run on the next invocation, much later, or never. The local cloud lets the call
 * finish (freezing a sandbox would make the board flicker at random, which teaches
 * nothing); the warning, in the function's log, the trace and every check's report, is
 * what the learner needs.
 */
import { relative } from 'node:path';
import type { UnawaitedCall } from './sandbox-protocol.ts';

// A type, not an interface: it goes into the trace as a plain record.
export type UnawaitedEntry = {
  kind: 'invoke.unawaited';
  /** The deployed function's name. */
  function: string;
  /** Its name in serverless.ts, e.g. "createVirus". */
  handlerName: string;
  requestId: string;
  service: string;
  operation: string;
  /** Relative to the service folder when inside it. */
  file?: string;
  line?: number;
  message: string;
  cause: number;
};

export function unawaitedEntry(
  fn: { name: string; logicalId?: string; codeDir?: string },
  call: UnawaitedCall,
  invocation: { requestId: string; ok: boolean; startSeq: number },
): UnawaitedEntry {
  const handlerName = nameInConfig(fn);
  const file =
    call.file && fn.codeDir && !relative(fn.codeDir, call.file).startsWith('..')
      ? relative(fn.codeDir, call.file)
      : call.file;
  const where = file ? ` at ${file}${call.line ? `:${call.line}` : ''}` : '';
  // A handler that failed may have awaited the call inside a Promise.all another call rejected:
  // Promise.all settles at the first rejection and leaves the rest running.
  const orAll = invocation.ok
    ? ''
    : " Or, if it is awaited, it ran in a Promise.all that another call's rejection ended first: catch each call's error inside it, or use Promise.allSettled.";
  const message = `${handlerName} ${invocation.ok ? 'returned' : 'failed'} while its ${call.service} ${call.operation} was still in flight: on AWS it may never run. Did you forget await${where}?${orAll}`;
  return {
    kind: 'invoke.unawaited',
    function: fn.name,
    handlerName,
    requestId: invocation.requestId,
    service: call.service,
    operation: call.operation,
    ...(file ? { file } : {}),
    ...(call.line ? { line: call.line } : {}),
    message,
    cause: invocation.startSeq,
  };
}

/**
 * The function's key in serverless.ts. osls names it `<service>-<stage>-<key>` and gives it
 * the logical id `<Key>LambdaFunction` (a dash spelled "Dash", an underscore "Underscore").
 */
export function nameInConfig(fn: { name: string; logicalId?: string }): string {
  const m = /^(.+)LambdaFunction$/.exec(fn.logicalId ?? '');
  if (!m) return fn.name;
  const key = m[1].replace(/Dash/g, '-').replace(/Underscore/g, '_');
  return fn.name.toLowerCase().endsWith(key.toLowerCase())
    ? fn.name.slice(fn.name.length - key.length)
    : fn.name;
}
