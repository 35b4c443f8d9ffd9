/**
 * The event envelope EventBridge delivers to rules and targets, built from a PutEvents entry
 * or for a scheduled rule:
 *
 *   {"version":"0","id":"…","detail-type":"Virus Created","source":"dojo.game",
 *    "account":"123456789012","time":"2026-11-21T10:00:00Z","region":"eu-west-1",
 *    "resources":[],"detail":{…}}
 *
 * Keys come in AWS's order, and `time` is ISO 8601 to the second, as AWS writes it. The
 * entry's own `Time`, when given, is the event's time; otherwise the ingestion time is.
 */
export interface PutEventsRequestEntry {
  Source?: string;
  DetailType?: string;
  /** A JSON object, as text (validated by `validateEntry` in put-events.ts). */
  Detail?: string;
  Resources?: string[];
  /** The wire form is epoch seconds (AWS JSON protocol); a Date or an ISO string is accepted too. */
  Time?: number | string | Date;
  EventBusName?: string;
  TraceHeader?: string;
}

export interface EventEnvelope {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, unknown>;
}

export interface EnvelopeContext {
  /** The event id (a UUID). */
  id: string;
  /** Ingestion time, or the scheduled time of a scheduled event: virtual epoch ms. */
  time: number;
  account: string;
  region: string;
}

export function makeEvent(
  entry: PutEventsRequestEntry,
  { id, time, account, region }: EnvelopeContext,
): EventEnvelope {
  return {
    version: '0',
    id,
    'detail-type': entry.DetailType ?? '',
    source: entry.Source ?? '',
    account,
    time: eventTime(
      entry.Time === undefined || Number.isNaN(entryTimeMs(entry.Time)) ? time : entryTimeMs(entry.Time),
    ),
    region,
    resources: entry.Resources ?? [],
    detail: entry.Detail === undefined ? {} : (JSON.parse(entry.Detail) as Record<string, unknown>),
  };
}

/** The event a scheduled rule sends to its targets when it fires at `time` (virtual epoch ms). */
export function scheduledEvent(
  ruleArn: string,
  time: number,
  { id, account, region }: Omit<EnvelopeContext, 'time'>,
): EventEnvelope {
  return {
    version: '0',
    id,
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account,
    time: eventTime(time),
    region,
    resources: [ruleArn],
    detail: {},
  };
}

/** AWS's event time: ISO 8601 in UTC without milliseconds, e.g. 2026-11-21T10:00:00Z. */
export function eventTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** An entry's Time in epoch ms. */
export function entryTimeMs(time: number | string | Date): number {
  if (typeof time === 'number') return time * 1000;
  return typeof time === 'string' ? Date.parse(time) : time.getTime();
}
