/**
 * Watching the dojo's bus for the events the scheduler sends (Schedule Tick, Schedule
 * Rejected). The behaviour checks only need this interface, served two ways:
 *
 * - in the check's AWS configuration (on AWS, and on the local cloud when it runs that
 *   configuration), through the capture the check adds to the stack: a rule on the bus with an
 *   SQS queue as its target, read with long polls (checker/core/bus-capture.ts). On AWS nothing
 *   records a bus's events by itself;
 * - locally, through the trace, which has every PutEvents entry (`events.put`) with its virtual
 *   time, bus, detail-type and detail.
 */
import { readCapture } from '../../core/bus-capture.ts';
import type { Deployment, Target } from '../../core/target.ts';
import { REJECTED, TICK } from './scenario.ts';

/** The detail-types the check watches (and captures on AWS). */
export const WATCHED: readonly string[] = [TICK, REJECTED];

export interface BusEventSeen {
  /** When it was put, epoch ms (virtual on the local cloud; to the second through the capture). */
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
  /** Stops watching once what was put until now has been seen (through the capture: seconds later). */
  close(): Promise<void>;
}

export function watchBus(target: Target, deployment: Deployment, busName: string): BusWatch {
  const wanted = new Set(WATCHED);
  const events: BusEventSeen[] = [];
  const listeners = new Set<(event: BusEventSeen) => void>();
  const see = (event: BusEventSeen) => {
    events.push(event);
    for (const listener of listeners) listener(event);
  };
  const watch = (close: () => Promise<void>): BusWatch => ({
    seen: () => [...events],
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close,
  });

  const capture = readCapture(target, deployment, ({ time, source, detailType, detail }) => {
    if (wanted.has(detailType)) see({ time, source, detailType, detail });
  });
  if (capture) return watch(() => capture.close());

  if (!target.trace) {
    throw new Error(
      "Watching the bus needs the check's capture queue (deployed in its AWS configuration) or the local cloud's trace, and this deployment has neither.",
    );
  }
  const unsubscribe = target.trace.subscribe((entry) => {
    if (entry.kind !== 'events.put' || entry.bus !== busName || !wanted.has(entry.detailType)) return;
    see({
      time: entry.time,
      source: entry.source,
      detailType: entry.detailType,
      detail: (entry.detail ?? {}) as Record<string, unknown>,
    });
  });
  return watch(async () => unsubscribe());
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
