/**
 * An execution's history in AWS's HistoryEvent shape. Events are numbered from 1 in the
 * order they happen; `previousEventId` points to the event before it in the same thread
 * (the root flow, a Parallel branch, a Map iteration), as AWS links them.
 */
export interface HistoryEvent {
  /** Virtual epoch ms (the API sends epoch seconds). */
  timestamp: number;
  type: string;
  id: number;
  previousEventId: number;
  [detailsField: string]: unknown;
}

/** The thread of the top-level states. */
export const ROOT_THREAD = '';

export class History {
  readonly events: HistoryEvent[] = [];
  private readonly last = new Map<string, number>();

  constructor(private readonly now: () => number) {}

  /**
   * Appends an event. `details` go under AWS's field for the type (stateEnteredEventDetails,
   * taskScheduledEventDetails...); `previous` overrides the thread's own link.
   */
  add(
    type: string,
    thread: string,
    details?: Record<string, unknown>,
    options: { timestamp?: number; previous?: number } = {},
  ): HistoryEvent {
    const id = this.events.length + 1;
    const timestamp = options.timestamp ?? this.now();
    const previousEventId = options.previous ?? this.last.get(thread) ?? 0;
    // One literal with the details field in it: added afterwards, it would cost each event
    // a separate property store (10 000 waiting executions hold 70 000 events).
    const event: HistoryEvent = details
      ? { timestamp, type, id, previousEventId, [detailsFieldOf(type)]: withoutUndefined(details) }
      : { timestamp, type, id, previousEventId };
    this.events.push(event);
    this.last.set(thread, id);
    return event;
  }

  /** Makes the next event of `thread` point to `id` (a branch or iteration starts from its container). */
  link(thread: string, id: number): void {
    this.last.set(thread, id);
  }

  lastId(): number {
    return this.events.length;
  }
}

export function detailsFieldOf(type: string): string {
  if (type.endsWith('StateEntered')) return 'stateEnteredEventDetails';
  if (type.endsWith('StateExited')) return 'stateExitedEventDetails';
  return `${type.charAt(0).toLowerCase()}${type.slice(1)}EventDetails`;
}

/** Execution data as history events carry it: JSON text, with AWS's "not truncated" note. */
export function dataField(field: 'input' | 'output', value: unknown): Record<string, unknown> {
  return { [field]: toJson(value), [`${field}Details`]: NOT_TRUNCATED };
}

/** Shared by every event (frozen: nobody may change one event's note through another). */
const NOT_TRUNCATED = Object.freeze({ truncated: false });

export function toJson(value: unknown): string {
  return JSON.stringify(value === undefined ? null : value);
}

/** GetExecutionHistory with includeExecutionData=false: the same events, without the data. */
export function withoutExecutionData(event: HistoryEvent): HistoryEvent {
  const copy: HistoryEvent = { ...event };
  for (const [field, value] of Object.entries(event)) {
    if (!field.endsWith('EventDetails') || value === null || typeof value !== 'object') continue;
    const details = { ...(value as Record<string, unknown>) };
    delete details.input;
    delete details.output;
    delete details.parameters;
    copy[field] = details;
  }
  return copy;
}

function withoutUndefined(details: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(details)) if (v !== undefined) out[k] = v;
  return out;
}
