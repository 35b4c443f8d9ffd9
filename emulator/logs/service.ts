/**
 * CloudWatch Logs in the local cloud: log groups, their streams and events, on the virtual
 * clock. Lambda writes each invocation's lines here (`/aws/lambda/<function>`, one stream per
 * sandbox, as AWS does); the API (api.ts) and `AWS::Logs::LogGroup` (provisioners.ts) read
 * and manage them.
 *
 * Memory stays bounded: each group keeps its newest MAX_EVENTS_PER_GROUP events (a day of
 * `npm start` writes far more); older ones are dropped first, as retention would drop them.
 */
import { randomBytes } from 'node:crypto';
import { AwsError } from '../core/errors.ts';
import { compileFilterPattern } from './filter-pattern.ts';

/** The events kept per log group; beyond it the oldest go. */
export const MAX_EVENTS_PER_GROUP = 10_000;

/** The retention periods AWS accepts (PutRetentionPolicy, AWS::Logs::LogGroup RetentionInDays). */
export const RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

const DAY = 86_400_000;
const GROUP_NAME = /^[.\-_/#A-Za-z0-9]{1,512}$/;

export interface LogEvent {
  timestamp: number;
  message: string;
  ingestionTime: number;
  eventId: string;
}

interface Stream {
  name: string;
  creationTime: number;
  events: LogEvent[];
}

interface Group {
  name: string;
  creationTime: number;
  retentionInDays?: number;
  streams: Map<string, Stream>;
  size: number;
}

export interface LogsDeps {
  region: string;
  accountId: string;
  now(): number;
}

export class LogsService {
  private readonly groups = new Map<string, Group>();

  constructor(private readonly deps: LogsDeps) {}

  groupArn(name: string): string {
    return `arn:aws:logs:${this.deps.region}:${this.deps.accountId}:log-group:${name}`;
  }

  createLogGroup(name: string, retentionInDays?: number): void {
    checkGroupName(name);
    if (this.groups.has(name))
      throw new AwsError('ResourceAlreadyExistsException', 'The specified log group already exists');
    if (retentionInDays !== undefined) checkRetention(retentionInDays);
    this.groups.set(name, {
      name,
      creationTime: this.deps.now(),
      retentionInDays,
      streams: new Map(),
      size: 0,
    });
  }

  deleteLogGroup(name: string): void {
    this.group(name);
    this.groups.delete(name);
  }

  putRetentionPolicy(name: string, retentionInDays: number | undefined): void {
    if (retentionInDays !== undefined) checkRetention(retentionInDays);
    this.group(name).retentionInDays = retentionInDays;
  }

  describeLogGroups(prefix = '') {
    return [...this.groups.values()]
      .filter((g) => g.name.startsWith(prefix))
      .sort((a, b) => (a.name < b.name ? -1 : 1))
      .map((g) => ({
        logGroupName: g.name,
        creationTime: g.creationTime,
        ...(g.retentionInDays ? { retentionInDays: g.retentionInDays } : {}),
        metricFilterCount: 0,
        arn: `${this.groupArn(g.name)}:*`,
        logGroupArn: this.groupArn(g.name),
        storedBytes: 0,
        logGroupClass: 'STANDARD',
      }));
  }

  createLogStream(groupName: string, streamName: string): void {
    const group = this.group(groupName);
    if (!/^[^:*]{1,512}$/.test(streamName))
      throw new AwsError(
        'InvalidParameterException',
        `Invalid log stream name ${JSON.stringify(streamName)}: 1 to 512 characters, without ':' or '*'.`,
      );
    if (group.streams.has(streamName))
      throw new AwsError('ResourceAlreadyExistsException', 'The specified log stream already exists');
    group.streams.set(streamName, { name: streamName, creationTime: this.deps.now(), events: [] });
  }

  describeLogStreams(
    groupName: string,
    options: { prefix?: string; orderBy?: string; descending?: boolean },
  ) {
    const group = this.group(groupName);
    if (options.prefix && options.orderBy === 'LastEventTime')
      throw new AwsError(
        'InvalidParameterException',
        'Cannot order by LastEventTime with a logStreamNamePrefix.',
      );
    const streams = [...group.streams.values()].filter((s) => s.name.startsWith(options.prefix ?? ''));
    const last = (s: Stream) => s.events.at(-1)?.timestamp ?? s.creationTime;
    streams.sort((a, b) =>
      options.orderBy === 'LastEventTime' ? last(a) - last(b) : a.name < b.name ? -1 : 1,
    );
    if (options.descending) streams.reverse();
    return streams.map((s) => ({
      logStreamName: s.name,
      creationTime: s.creationTime,
      ...(s.events.length
        ? {
            firstEventTimestamp: s.events[0].timestamp,
            lastEventTimestamp: s.events.at(-1)!.timestamp,
            lastIngestionTime: s.events.at(-1)!.ingestionTime,
          }
        : {}),
      uploadSequenceToken: String(s.events.length + 1),
      arn: `${this.groupArn(groupName)}:log-stream:${s.name}`,
      storedBytes: 0,
    }));
  }

  /** PutLogEvents: events in chronological order; AWS's limits on their age answered as AWS does. */
  putLogEvents(groupName: string, streamName: string, events: Array<{ timestamp: number; message: string }>) {
    const stream = this.stream(groupName, streamName);
    if (!Array.isArray(events) || events.length === 0 || events.length > 10_000)
      throw new AwsError('InvalidParameterException', 'logEvents must hold 1 to 10000 events.');
    for (let i = 1; i < events.length; i++)
      if (events[i].timestamp < events[i - 1].timestamp)
        throw new AwsError(
          'InvalidParameterException',
          'Log events in a single PutLogEvents request must be in chronological order.',
        );
    const now = this.deps.now();
    const group = this.group(groupName);
    const oldest = now - Math.min(14 * DAY, (group.retentionInDays ?? Infinity) * DAY);
    const rejected: Record<string, number> = {};
    events.forEach((e, i) => {
      if (e.timestamp < oldest) rejected.tooOldLogEventEndIndex = i + 1;
      else if (e.timestamp > now + 2 * 3_600_000) rejected.tooNewLogEventStartIndex ??= i;
      else this.append(group, stream, e.timestamp, e.message);
    });
    return {
      nextSequenceToken: String(stream.events.length + 1),
      ...(Object.keys(rejected).length ? { rejectedLogEventsInfo: rejected } : {}),
    };
  }

  /** Lambda's way in: the group and stream appear with the first line, as on AWS. */
  write(groupName: string, streamName: string, message: string): void {
    if (!this.groups.has(groupName)) this.createLogGroup(groupName);
    const group = this.group(groupName);
    if (!group.streams.has(streamName)) this.createLogStream(groupName, streamName);
    this.append(group, group.streams.get(streamName)!, this.deps.now(), message);
  }

  getLogEvents(
    groupName: string,
    streamName: string,
    options: {
      startTime?: number;
      endTime?: number;
      startFromHead?: boolean;
      limit?: number;
      nextToken?: string;
    },
  ) {
    const events = this.live(this.group(groupName), this.stream(groupName, streamName).events).filter(
      (e) =>
        (options.startTime === undefined || e.timestamp >= options.startTime) &&
        (options.endTime === undefined || e.timestamp < options.endTime),
    );
    const limit = pageSize(options.limit, 10_000);
    // Tokens are positions: f/<index of the next event>, b/<index after the last one returned before>.
    const token = /^([fb])\/(\d+)$/.exec(options.nextToken ?? '');
    if (options.nextToken !== undefined && !token)
      throw new AwsError(
        'InvalidParameterException',
        `The specified nextToken is invalid: ${options.nextToken}`,
      );
    let from: number;
    if (token?.[1] === 'f') from = Number(token[2]);
    else if (token?.[1] === 'b') from = Math.max(0, Number(token[2]) - limit);
    else from = options.startFromHead ? 0 : Math.max(0, events.length - limit);
    const to = token?.[1] === 'b' ? Number(token[2]) : Math.min(events.length, from + limit);
    return {
      events: events.slice(from, to).map(({ timestamp, message, ingestionTime }) => ({
        timestamp,
        message,
        ingestionTime,
      })),
      nextForwardToken: `f/${to}`,
      nextBackwardToken: `b/${from}`,
    };
  }

  filterLogEvents(
    groupName: string,
    options: {
      streamNames?: string[];
      streamPrefix?: string;
      startTime?: number;
      endTime?: number;
      filterPattern?: string;
      limit?: number;
      nextToken?: string;
    },
  ) {
    const group = this.group(groupName);
    if (options.streamNames && options.streamPrefix)
      throw new AwsError(
        'InvalidParameterException',
        'logStreamNames and logStreamNamePrefix cannot both be given.',
      );
    const matches = compileFilterPattern(options.filterPattern);
    const events: Array<LogEvent & { logStreamName: string }> = [];
    for (const stream of group.streams.values()) {
      if (options.streamNames && !options.streamNames.includes(stream.name)) continue;
      if (options.streamPrefix && !stream.name.startsWith(options.streamPrefix)) continue;
      for (const e of this.live(group, stream.events))
        if (
          (options.startTime === undefined || e.timestamp >= options.startTime) &&
          (options.endTime === undefined || e.timestamp <= options.endTime) &&
          matches(e.message)
        )
          events.push({ ...e, logStreamName: stream.name });
    }
    events.sort((a, b) => a.timestamp - b.timestamp || (a.eventId < b.eventId ? -1 : 1));
    const from = options.nextToken === undefined ? 0 : Number(options.nextToken);
    if (!Number.isInteger(from) || from < 0)
      throw new AwsError(
        'InvalidParameterException',
        `The specified nextToken is invalid: ${options.nextToken}`,
      );
    const to = from + pageSize(options.limit, 10_000);
    return {
      events: events.slice(from, to),
      searchedLogStreams: [],
      ...(to < events.length ? { nextToken: String(to) } : {}),
    };
  }

  private append(group: Group, stream: Stream, timestamp: number, message: string): void {
    // A stream's events stay in time order whatever order they came in.
    const event = { timestamp, message, ingestionTime: this.deps.now(), eventId: eventId() };
    let i = stream.events.length;
    while (i > 0 && stream.events[i - 1].timestamp > timestamp) i--;
    stream.events.splice(i, 0, event);
    if (++group.size > MAX_EVENTS_PER_GROUP) this.dropOldest(group);
  }

  private dropOldest(group: Group): void {
    let oldest: Stream | undefined;
    for (const s of group.streams.values())
      if (s.events.length && (!oldest || s.events[0].timestamp < oldest.events[0].timestamp)) oldest = s;
    if (!oldest) return;
    oldest.events.shift();
    group.size--;
  }

  /** The events retention has not expired yet (on the virtual clock). */
  private live(group: Group, events: LogEvent[]): LogEvent[] {
    if (!group.retentionInDays) return events;
    const oldest = this.deps.now() - group.retentionInDays * DAY;
    return events.filter((e) => e.timestamp >= oldest);
  }

  private group(name: string): Group {
    const group = this.groups.get(name);
    if (!group) throw new AwsError('ResourceNotFoundException', 'The specified log group does not exist.');
    return group;
  }

  private stream(groupName: string, streamName: string): Stream {
    const stream = this.group(groupName).streams.get(streamName);
    if (!stream) throw new AwsError('ResourceNotFoundException', 'The specified log stream does not exist.');
    return stream;
  }
}

/** A Lambda sandbox's stream name, as AWS names them: `2030/01/01/[$LATEST]<32 hex>`. */
export function lambdaStreamName(now: number): string {
  const day = new Date(now).toISOString().slice(0, 10).replace(/-/g, '/');
  return `${day}/[$LATEST]${randomBytes(16).toString('hex')}`;
}

function checkGroupName(name: string): void {
  if (typeof name !== 'string' || !GROUP_NAME.test(name))
    throw new AwsError(
      'InvalidParameterException',
      `Invalid log group name ${JSON.stringify(name)}: 1 to 512 characters among a-z, A-Z, 0-9, '_', '-', '/', '.' and '#'.`,
    );
}

function checkRetention(days: number): void {
  if (!RETENTION_DAYS.includes(days))
    throw new AwsError(
      'InvalidParameterException',
      `Invalid retentionInDays ${days}: it must be one of ${RETENTION_DAYS.join(', ')}.`,
    );
}

function pageSize(limit: number | undefined, max: number): number {
  if (limit === undefined) return max;
  if (!Number.isInteger(limit) || limit < 1 || limit > max)
    throw new AwsError('InvalidParameterException', `limit must be between 1 and ${max}, not ${limit}.`);
  return limit;
}

let eventCounter = 0;
/** Unique and sortable within a run, like AWS's 56-digit event ids. */
function eventId(): string {
  return String(++eventCounter).padStart(56, '0');
}
