/**
 * Watching the dojo's bus for the events the scheduler sends (Schedule Tick, Schedule
 * Rejected). The behaviour checks only need this interface, so that another way of watching
 * can serve them on AWS.
 *
 * Locally, the trace has every PutEvents entry (`events.put`) with its virtual time, bus,
 * detail-type and detail. On AWS nothing records events on a bus by itself: an AWS watch
 * would deploy a rule on the bus for these detail-types with a target the checker can read
 * (an SQS queue, or a CloudWatch Logs group), and read it. It is not written yet.
 */
import type { Target } from '../../core/target.ts';

export interface BusEventSeen {
  /** When it was put, epoch ms (virtual on the local cloud). */
  time: number;
  source: string;
  detailType: string;
  detail: Record<string, unknown>;
}

export interface BusWatch {
  /** What was seen so far, in order. */
  seen(): BusEventSeen[];
  /** Called for each event as it is seen (the check's guard against a loop that does not wait uses it). */
  onEvent(listener: (event: BusEventSeen) => void): () => void;
  close(): void;
}

export function watchBus(target: Target, busName: string, detailTypes: readonly string[]): BusWatch {
  if (!target.trace) {
    throw new Error(
      'Watching the bus on AWS needs a capture rule with an SQS or CloudWatch Logs target; the session-5 check runs on the local cloud only for now.',
    );
  }
  const trace = target.trace;
  const wanted = new Set(detailTypes);
  const events: BusEventSeen[] = [];
  const listeners = new Set<(event: BusEventSeen) => void>();
  const unsubscribe = trace.subscribe((entry) => {
    if (entry.kind !== 'events.put' || entry.bus !== busName || !wanted.has(entry.detailType)) return;
    const event: BusEventSeen = {
      time: entry.time,
      source: entry.source,
      detailType: entry.detailType,
      detail: (entry.detail ?? {}) as Record<string, unknown>,
    };
    events.push(event);
    for (const listener of listeners) listener(event);
  });
  return {
    seen: () => [...events],
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: unsubscribe,
  };
}

/**
 * Failed invocations of a function in a time window, from the local trace: a Lambda that
 * crashes on bad input. Undefined on AWS (there, CloudWatch's Errors metric would tell).
 */
export function failedInvocations(
  target: Target,
  functionName: string,
  from: number,
  to: number,
): string[] | undefined {
  const trace = target.trace;
  if (!trace) return undefined;
  const out: string[] = [];
  for (const start of trace.find(
    'invoke.start',
    (e) => e.function === functionName && e.time >= from && e.time <= to,
  )) {
    const end = trace.find('invoke.end', (e) => e.cause === start.seq)[0];
    if (end && !end.ok) {
      out.push(`${end.error?.errorType ?? 'Error'}: ${end.error?.errorMessage ?? 'no message'}`);
    }
  }
  return out;
}
