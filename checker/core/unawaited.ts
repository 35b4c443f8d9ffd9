/**
 * A check every session gets from the pipeline: no handler returned while one of its own
 * AWS calls was still in flight. The local cloud's Lambda runtime records each such call
 * (trace kind `invoke.unawaited`, see emulator/lambda/unawaited.ts); this turns them into one
 * ✖ that names the function, the call and the line. It comes before the session's own
 * behaviour checks: a forgotten await is the cause of whatever they see next (a virus
 * missing, a 204 for a kill that failed, events that arrive late), so it must be read first.
 *
 * On AWS there is no trace: the symptom shows in the session's checks, as before.
 */
import type { Trace, TraceEntry } from '../../emulator/index.ts';
import type { SessionTodo } from './course.ts';
import { fail, type CheckResult } from './result.ts';
import { REPO_ROOT } from './repo.ts';
import { trySession } from './session-files.ts';

export const UNAWAITED_CHECK = 'unawaited';

export function unawaitedCallsResult(
  trace: Trace | undefined,
  sessionId: string,
  todos: SessionTodo[] = trySession(REPO_ROOT, sessionId)?.todos ?? [],
): CheckResult | undefined {
  const entries = trace?.find('invoke.unawaited') ?? [];
  if (entries.length === 0) return undefined;
  // One line per distinct call site: a warm function repeats its mistake every invocation.
  const sites = new Map<string, { entry: TraceEntry<'invoke.unawaited'>; count: number }>();
  for (const e of entries) {
    const key = `${e.function} ${e.service} ${e.operation} ${e.file ?? ''}:${e.line ?? ''}`;
    const site = sites.get(key);
    if (site) site.count++;
    else sites.set(key, { entry: e, count: 1 });
  }
  const [first, ...others] = [...sites.values()];
  const e = first.entry;
  const times = (n: number) => (n === 1 ? 'in 1 invocation' : `in ${n} invocations`);
  const more = others.map(
    (o) =>
      `${o.entry.handlerName}'s ${o.entry.service} ${o.entry.operation}${o.entry.file ? ` at ${o.entry.file}:${o.entry.line}` : ''} (${times(o.count)})`,
  );
  const todo = todoFor(todos, e);
  const call = e.file ? `at ${e.file}${e.line ? `:${e.line}` : ''}` : `in ${e.handlerName}`;
  return fail(UNAWAITED_CHECK, 'Every handler awaits its AWS calls before it returns', {
    observed: `${String(e.message)} (${times(first.count)})${more.length ? `; also ${more.join(', ')}` : ''}`,
    expected: 'each AWS call finished before the handler returns',
    hint: `Put await before the ${e.service} call ${call} (await client.send(...)): Lambda freezes the sandbox as soon as the handler's promise settles, and a call still in flight may never reach AWS.`,
    todo: todo?.n,
    docs: todo ? `sessions/${sessionId}#todo-${todo.n}` : 'concepts/lambda#await-every-aws-call',
  });
}

/** The TODO of the call's file; of several, the one whose title names the call's verb (Delete, Put), else the last. */
function todoFor(todos: SessionTodo[], e: TraceEntry<'invoke.unawaited'>): SessionTodo | undefined {
  const inFile = todos.filter((t) => t.file === e.file);
  const verb = /^[A-Z][a-z]+/.exec(String(e.operation))?.[0];
  return inFile.find((t) => verb && t.title.includes(verb)) ?? inFile.at(-1);
}
