/**
 * DynamoDB Streams: the change log of each table whose StreamSpecification is on, with one
 * shard per stream, as AWS keeps it (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Streams.html):
 * - a stream is born when a table's stream is enabled; its label is the virtual time of that
 *   moment and its ARN is `<table arn>/stream/<label>`. Disabling it closes its shard (it gets
 *   an EndingSequenceNumber) and a later enable makes a new stream with a new label;
 * - each change of an item is one record (INSERT, MODIFY, REMOVE) carrying the images the
 *   stream's view type asks for; a write that changes nothing makes no record;
 * - records live 24 hours on the virtual clock, then are trimmed; a disabled stream is
 *   listed for 24 hours after it was disabled;
 * - shard iterators expire 15 minutes after they were handed out.
 * This module holds the records and answers the `dynamodbstreams` read API; service.ts
 * feeds it the changes it sees around dynalite.
 */
import { createHash } from 'node:crypto';
import { AwsError } from '../core/errors.ts';
import { itemSize } from './item-size.ts';

export type StreamViewType = 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES' | 'KEYS_ONLY';
export const STREAM_VIEW_TYPES: readonly StreamViewType[] = [
  'NEW_IMAGE',
  'OLD_IMAGE',
  'NEW_AND_OLD_IMAGES',
  'KEYS_ONLY',
];

/** An item in DynamoDB's JSON (`{ id: { S: 'a' } }`). */
export type AttributeMap = Record<string, unknown>;

/** A stream record as GetRecords returns it (Lambda adds `eventSourceARN`). */
export interface StreamRecord {
  eventID: string;
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  eventVersion: '1.1';
  eventSource: 'aws:dynamodb';
  awsRegion: string;
  dynamodb: {
    /** Epoch seconds, rounded down (AWS's own rounding). */
    ApproximateCreationDateTime: number;
    Keys: AttributeMap;
    NewImage?: AttributeMap;
    OldImage?: AttributeMap;
    SequenceNumber: string;
    SizeBytes: number;
    StreamViewType: StreamViewType;
  };
}

/** A record and what the local cloud knows of it besides: when, and the trace entry of its write. */
export interface StreamEntry {
  record: StreamRecord;
  seq: bigint;
  at: number;
  cause?: number;
}

/** One item's change, as service.ts saw it: its key, and the item before and after. */
export interface ItemChange {
  keys: AttributeMap;
  oldImage?: AttributeMap;
  newImage?: AttributeMap;
  /** The trace entry of the write. */
  cause?: number;
}

export interface StreamInfo {
  arn: string;
  label: string;
  table: string;
  viewType: StreamViewType;
  enabled: boolean;
}

interface Stream extends StreamInfo {
  keySchema: Array<{ AttributeName: string; KeyType: string }>;
  createdAt: number;
  disabledAt?: number;
  shardId: string;
  startSeq: bigint;
  endSeq?: bigint;
  entries: StreamEntry[];
  /** The highest sequence number trimmed away (startSeq - 1 while nothing was). */
  trimmedThrough: bigint;
  watchers: Set<() => void>;
}

const RETENTION_MS = 24 * 3600_000;
const ITERATOR_TTL_MS = 15 * 60_000;
/** AWS's sequence numbers are 21-digit decimal strings that only grow. */
const FIRST_SEQUENCE = 100_000_000_000_000_000_000n;

export class TableStreams {
  /** Every stream still listed, oldest first. */
  private readonly streams: Stream[] = [];
  private nextSeq = FIRST_SEQUENCE;

  constructor(private readonly deps: { now(): number; region: string; accountId: string }) {}

  // ---- the control plane: what CreateTable, UpdateTable and DeleteTable do -------------

  /** Turns a table's stream on (a new stream); refused while it has one enabled, as UpdateTable is. */
  enable(
    table: string,
    viewType: string | undefined,
    keySchema: Array<{ AttributeName: string; KeyType: string }>,
  ): StreamInfo {
    const type = this.checkEnable(table, viewType);
    const now = this.deps.now();
    let created = now;
    // Two streams of one table born in the same virtual millisecond would share a label.
    while (this.streams.some((s) => s.table === table && s.createdAt === created)) created++;
    const label = new Date(created).toISOString().slice(0, -1);
    const arn = `arn:aws:dynamodb:${this.deps.region}:${this.deps.accountId}:table/${table}/stream/${label}`;
    const stream: Stream = {
      arn,
      label,
      table,
      viewType: type,
      enabled: true,
      keySchema,
      createdAt: created,
      shardId: `shardId-${String(created).padStart(20, '0')}-${hash(arn).slice(0, 8)}`,
      startSeq: this.nextSeq,
      entries: [],
      trimmedThrough: this.nextSeq - 1n,
      watchers: new Set(),
    };
    this.streams.push(stream);
    return info(stream);
  }

  /** Throws what enable would; the view type when it would not. */
  checkEnable(table: string, viewType: string | undefined): StreamViewType {
    const type = checkViewType(viewType);
    const current = this.enabledStream(table);
    if (current)
      throw new AwsError(
        'ValidationException',
        `Table already has an enabled stream: TableName: ${table}, StreamViewType: ${current.viewType}. Disable it first (StreamSpecification { StreamEnabled: false }), then enable it with ${type}.`,
      );
    return type;
  }

  /** Turns a table's stream off (its table was deleted, or StreamEnabled is false): its shard closes. */
  disable(table: string): void {
    const s = this.enabledStream(table);
    if (!s) return;
    s.enabled = false;
    s.disabledAt = this.deps.now();
    s.endSeq = s.entries.at(-1)?.seq ?? s.startSeq;
    for (const w of s.watchers) w();
  }

  /** The table's newest stream (enabled or not): DescribeTable's LatestStreamArn. */
  latest(table: string): StreamInfo | undefined {
    this.expire();
    const s = this.streams.findLast((x) => x.table === table);
    return s && info(s);
  }

  enabled(table: string): StreamInfo | undefined {
    const s = this.enabledStream(table);
    return s && info(s);
  }

  /** The key attribute names of a table with an enabled stream (to find an item's key). */
  keyNames(table: string): string[] {
    return (this.enabledStream(table)?.keySchema ?? []).map((k) => k.AttributeName);
  }

  // ---- the data plane --------------------------------------------------------------------

  /** Records one item's change on the table's enabled stream; nothing when the item is unchanged. */
  append(table: string, change: ItemChange): StreamEntry | undefined {
    const s = this.enabledStream(table);
    if (!s) return undefined;
    const { oldImage, newImage } = change;
    if (!oldImage && !newImage) return undefined;
    if (oldImage && newImage && sameItem(oldImage, newImage)) return undefined;
    const seq = this.nextSeq++;
    const now = this.deps.now();
    const dynamodb: StreamRecord['dynamodb'] = {
      ApproximateCreationDateTime: Math.floor(now / 1000),
      Keys: change.keys,
      SequenceNumber: String(seq),
      SizeBytes: 0,
      StreamViewType: s.viewType,
    };
    if (newImage && (s.viewType === 'NEW_IMAGE' || s.viewType === 'NEW_AND_OLD_IMAGES'))
      dynamodb.NewImage = newImage;
    if (oldImage && (s.viewType === 'OLD_IMAGE' || s.viewType === 'NEW_AND_OLD_IMAGES'))
      dynamodb.OldImage = oldImage;
    dynamodb.SizeBytes =
      itemSize(dynamodb.Keys) +
      (dynamodb.NewImage ? itemSize(dynamodb.NewImage) : 0) +
      (dynamodb.OldImage ? itemSize(dynamodb.OldImage) : 0);
    const entry: StreamEntry = {
      record: {
        eventID: hash(`${s.arn}/${seq}`),
        eventName: !oldImage ? 'INSERT' : !newImage ? 'REMOVE' : 'MODIFY',
        eventVersion: '1.1',
        eventSource: 'aws:dynamodb',
        awsRegion: this.deps.region,
        dynamodb,
      },
      seq,
      at: now,
      cause: change.cause,
    };
    s.entries.push(entry);
    for (const w of s.watchers) w();
    return entry;
  }

  /** Calls `fn` after each record (and when the stream closes); returns the unwatch. */
  watch(arn: string, fn: () => void): () => void {
    const s = this.find(arn);
    s.watchers.add(fn);
    return () => s.watchers.delete(fn);
  }

  /** Whether a stream of that ARN is still kept. */
  has(arn: string): boolean {
    this.expire();
    return this.streams.some((s) => s.arn === arn);
  }

  describe(arn: string): StreamInfo {
    return info(this.find(arn));
  }

  /** The sequence number a reader at the stream's end waits for. */
  latestPosition(arn: string): bigint {
    this.find(arn);
    return this.nextSeq;
  }

  /** The oldest position still readable. */
  trimHorizon(arn: string): bigint {
    return this.find(arn).trimmedThrough + 1n;
  }

  /** Up to `limit` records from sequence number `from` on (the trimmed ones are gone). */
  read(arn: string, from: bigint, limit: number): StreamEntry[] {
    const { entries } = this.find(arn);
    // Entries are in sequence order: find the first one at or after `from` by halving.
    let lo = 0;
    let hi = entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (entries[mid].seq < from) lo = mid + 1;
      else hi = mid;
    }
    return entries.slice(lo, lo + limit);
  }

  /** Whether nothing more will ever come after `from` (the shard is closed and read to its end). */
  closedAfter(arn: string, from: bigint): boolean {
    const s = this.find(arn);
    return s.endSeq !== undefined && from > s.endSeq;
  }

  // ---- the dynamodbstreams API -------------------------------------------------------------

  listStreams(input: { TableName?: string; Limit?: number; ExclusiveStartStreamArn?: string }) {
    this.expire();
    const limit = checkLimit(input.Limit, 100, 'Limit');
    let all = this.streams.filter((s) => !input.TableName || s.table === input.TableName);
    if (input.ExclusiveStartStreamArn) {
      const i = all.findIndex((s) => s.arn === input.ExclusiveStartStreamArn);
      all = i === -1 ? [] : all.slice(i + 1);
    }
    const page = all.slice(0, limit);
    return {
      Streams: page.map((s) => ({ StreamArn: s.arn, TableName: s.table, StreamLabel: s.label })),
      ...(all.length > limit ? { LastEvaluatedStreamArn: page.at(-1)!.arn } : {}),
    };
  }

  describeStream(input: { StreamArn?: string; Limit?: number; ExclusiveStartShardId?: string }) {
    const s = this.find(required(input.StreamArn, 'StreamArn'));
    checkLimit(input.Limit, 100, 'Limit');
    const shards =
      input.ExclusiveStartShardId === s.shardId
        ? []
        : [
            {
              ShardId: s.shardId,
              SequenceNumberRange: {
                StartingSequenceNumber: String(s.startSeq),
                ...(s.endSeq !== undefined ? { EndingSequenceNumber: String(s.endSeq) } : {}),
              },
            },
          ];
    return {
      StreamDescription: {
        StreamArn: s.arn,
        StreamLabel: s.label,
        StreamStatus: s.enabled ? 'ENABLED' : 'DISABLED',
        StreamViewType: s.viewType,
        CreationRequestDateTime: s.createdAt / 1000,
        TableName: s.table,
        KeySchema: s.keySchema,
        Shards: shards,
      },
    };
  }

  getShardIterator(input: {
    StreamArn?: string;
    ShardId?: string;
    ShardIteratorType?: string;
    SequenceNumber?: string;
  }) {
    const s = this.find(required(input.StreamArn, 'StreamArn'));
    const shardId = required(input.ShardId, 'ShardId');
    if (shardId !== s.shardId)
      throw new AwsError(
        'ResourceNotFoundException',
        `Requested resource not found: Shard ${shardId} in stream ${s.arn} not found (DescribeStream lists its shards).`,
      );
    const type = input.ShardIteratorType;
    const at = (): bigint => {
      const n = sequenceNumber(input.SequenceNumber);
      if (n < s.startSeq || n >= this.nextSeq)
        throw new AwsError(
          'ValidationException',
          `Invalid SequenceNumber ${input.SequenceNumber}: it is not a record of shard ${s.shardId}.`,
        );
      if (n <= s.trimmedThrough)
        throw new AwsError(
          'TrimmedDataAccessException',
          `The record ${input.SequenceNumber} is past the stream's 24-hour retention and was trimmed. Start from TRIM_HORIZON instead.`,
        );
      return n;
    };
    let from: bigint;
    if (type === 'TRIM_HORIZON') from = s.trimmedThrough + 1n;
    else if (type === 'LATEST') from = s.endSeq !== undefined ? s.endSeq + 1n : this.nextSeq;
    else if (type === 'AT_SEQUENCE_NUMBER') from = at();
    else if (type === 'AFTER_SEQUENCE_NUMBER') from = at() + 1n;
    else
      throw new AwsError(
        'ValidationException',
        `1 validation error detected: Value '${type}' at 'shardIteratorType' failed to satisfy constraint: Member must satisfy enum value set: [TRIM_HORIZON, LATEST, AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER]`,
      );
    return { ShardIterator: encodeIterator(s.arn, from, this.deps.now()) };
  }

  getRecords(input: { ShardIterator?: string; Limit?: number }) {
    const it = decodeIterator(required(input.ShardIterator, 'ShardIterator'));
    const limit = checkLimit(input.Limit, 1000, 'Limit');
    const now = this.deps.now();
    if (now - it.issued > ITERATOR_TTL_MS)
      throw new AwsError(
        'ExpiredIteratorException',
        `Iterator expired. The iterator was created at time ${new Date(it.issued).toUTCString()} while right now it is ${new Date(now).toUTCString()}. The iterator is valid for 15 minutes; ask GetShardIterator for a new one.`,
      );
    const s = this.find(it.arn);
    if (it.from <= s.trimmedThrough)
      throw new AwsError(
        'TrimmedDataAccessException',
        `The iterator points at records that are past the stream's 24-hour retention and were trimmed. Ask GetShardIterator for TRIM_HORIZON.`,
      );
    const entries = this.read(s.arn, it.from, limit);
    const next = entries.length ? entries.at(-1)!.seq + 1n : it.from;
    return {
      Records: entries.map((e) => e.record),
      ...(this.closedAfter(s.arn, next) ? {} : { NextShardIterator: encodeIterator(s.arn, next, now) }),
    };
  }

  /** The stream an iterator reads (for the IAM check of GetRecords); undefined when it is not one. */
  streamOfIterator(iterator: unknown): string | undefined {
    try {
      return decodeIterator(String(iterator)).arn;
    } catch {
      return undefined;
    }
  }

  // ---- keeping ------------------------------------------------------------------------

  private enabledStream(table: string): Stream | undefined {
    return this.streams.find((s) => s.table === table && s.enabled);
  }

  private find(arn: string): Stream {
    this.expire();
    const s = this.streams.find((x) => x.arn === arn);
    if (!s)
      throw new AwsError(
        'ResourceNotFoundException',
        `Requested resource not found: Stream: ${arn} not found. (ListStreams lists the streams the local cloud keeps; a disabled stream is kept 24 hours.)`,
      );
    return s;
  }

  /** Trims records past the 24-hour retention, and forgets streams disabled 24 hours ago. */
  private expire(): void {
    const horizon = this.deps.now() - RETENTION_MS;
    for (let i = this.streams.length - 1; i >= 0; i--) {
      const s = this.streams[i];
      let n = 0;
      while (n < s.entries.length && s.entries[n].at < horizon) n++;
      if (n) {
        s.trimmedThrough = s.entries[n - 1].seq;
        s.entries.splice(0, n);
      }
      if (s.disabledAt !== undefined && s.disabledAt < horizon) this.streams.splice(i, 1);
    }
  }
}

function info(s: Stream): StreamInfo {
  return { arn: s.arn, label: s.label, table: s.table, viewType: s.viewType, enabled: s.enabled };
}

function checkViewType(viewType: string | undefined): StreamViewType {
  if (STREAM_VIEW_TYPES.includes(viewType as StreamViewType)) return viewType as StreamViewType;
  throw new AwsError(
    'ValidationException',
    viewType === undefined
      ? 'StreamSpecification: StreamViewType is required when StreamEnabled is true (one of NEW_IMAGE, OLD_IMAGE, NEW_AND_OLD_IMAGES, KEYS_ONLY).'
      : `1 validation error detected: Value '${viewType}' at 'streamSpecification.streamViewType' failed to satisfy constraint: Member must satisfy enum value set: [${STREAM_VIEW_TYPES.join(', ')}]`,
  );
}

function checkLimit(limit: number | undefined, max: number, name: string): number {
  if (limit === undefined) return max;
  if (!Number.isInteger(limit) || limit < 1 || limit > max)
    throw new AwsError(
      'ValidationException',
      `1 validation error detected: Value '${limit}' at '${name[0].toLowerCase()}${name.slice(1)}' failed to satisfy constraint: Member must have value between 1 and ${max}`,
    );
  return limit;
}

function required(value: string | undefined, name: string): string {
  if (typeof value === 'string' && value) return value;
  throw new AwsError('ValidationException', `${name} is required.`);
}

function sequenceNumber(value: string | undefined): bigint {
  if (typeof value === 'string' && /^\d{1,40}$/.test(value)) return BigInt(value);
  throw new AwsError(
    'ValidationException',
    `SequenceNumber is required with AT_SEQUENCE_NUMBER and AFTER_SEQUENCE_NUMBER, as the decimal string of a record's dynamodb.SequenceNumber (got ${JSON.stringify(value)}).`,
  );
}

/** An iterator names its stream (as AWS's do), then an opaque position. */
function encodeIterator(arn: string, from: bigint, issued: number): string {
  const state = Buffer.from(JSON.stringify({ f: String(from), i: issued })).toString('base64url');
  return `${arn}|1|${state}`;
}

function decodeIterator(iterator: string): { arn: string; from: bigint; issued: number } {
  const bar = iterator.indexOf('|1|');
  try {
    if (bar === -1) throw new Error('no position');
    const state = JSON.parse(Buffer.from(iterator.slice(bar + 3), 'base64url').toString('utf8'));
    return { arn: iterator.slice(0, bar), from: BigInt(state.f), issued: Number(state.i) };
  } catch {
    throw new AwsError(
      'ValidationException',
      'Invalid ShardIterator: pass the ShardIterator (or NextShardIterator) exactly as the stream returned it.',
    );
  }
}

const hash = (text: string) => createHash('md5').update(text).digest('hex');

/** Two items in DynamoDB JSON are the same item (attribute order aside; sets compare as sets). */
function sameItem(a: AttributeMap, b: AttributeMap): boolean {
  return canonical(a) === canonical(b);
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([x], [y]) => (x < y ? -1 : 1));
    return `{${entries
      .map(([k, v]) => {
        const set = (k === 'SS' || k === 'NS' || k === 'BS') && Array.isArray(v);
        return `${JSON.stringify(k)}:${set ? canonical([...v].map(String).sort()) : canonical(v)}`;
      })
      .join(',')}}`;
  }
  return JSON.stringify(value);
}
