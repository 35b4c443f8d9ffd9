/**
 * Lambda event source mappings for SQS queues and DynamoDB streams: Lambda's pollers, on the
 * virtual clock. This registry keeps the mappings (create, get, list, update, delete) and
 * checks what both kinds share; SQS queues are polled here, streams by stream-poller.ts.
 *
 * For SQS queues
 * As on AWS (https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html):
 * - messages are received in batches of up to BatchSize (default 10), waiting up to
 *   MaximumBatchingWindowInSeconds for a batch to fill; each batch is one synchronous invoke
 *   with the SQS event (`Records`, each with messageId, receiptHandle, body, attributes,
 *   messageAttributes, md5OfBody, eventSource `aws:sqs`, eventSourceARN, awsRegion);
 * - a batch that succeeds is deleted; a failed one is not, so its messages come back after the
 *   queue's visibility timeout, and the queue's RedrivePolicy moves them to its dead-letter
 *   queue after maxReceiveCount receives;
 * - with FunctionResponseTypes ReportBatchItemFailures, a response `{ batchItemFailures:
 *   [{ itemIdentifier }] }` keeps only those messages; an empty list or no response is a
 *   success; an identifier that is not in the batch fails the whole batch;
 * - FilterCriteria (EventBridge patterns on the record, `body` parsed as JSON when it is JSON):
 *   a message no filter matches is deleted without an invoke;
 * - the function's role must allow sqs:ReceiveMessage, sqs:DeleteMessage and
 *   sqs:GetQueueAttributes on the queue, checked when the mapping is created.
 *
 * Every batch is traced (esm.batch), caused by the receive, and causing the invoke.
 *
 * For DynamoDB streams, see stream-poller.ts; the role must allow dynamodb:DescribeStream,
 * dynamodb:GetRecords, dynamodb:GetShardIterator and dynamodb:ListStreams on the stream (and
 * sqs:SendMessage on an OnFailure queue).
 */
import { randomUUID } from 'node:crypto';
import type { VirtualClock } from '../core/clock.ts';
import { AwsError } from '../core/errors.ts';
import type { Trace } from '../core/trace.ts';
import { matchesPattern, parseEventPattern, type EventPattern } from '../events/index.ts';
import type { ReceivedMessage, SqsService } from '../sqs/index.ts';
import type { TableStreams } from '../dynamodb/streams.ts';
import { reportedFailures } from './batch-response.ts';
import type { InvokeResult } from './service.ts';
import { StreamPoller, type StreamPollerConfig } from './stream-poller.ts';

export interface EventSourceMappingInput {
  FunctionName?: string;
  EventSourceArn?: string;
  BatchSize?: number;
  MaximumBatchingWindowInSeconds?: number;
  Enabled?: boolean;
  FunctionResponseTypes?: string[];
  FilterCriteria?: { Filters?: Array<{ Pattern?: string }> };
  /** Streams only. */
  StartingPosition?: string;
  BisectBatchOnFunctionError?: boolean;
  MaximumRetryAttempts?: number;
  MaximumRecordAgeInSeconds?: number;
  ParallelizationFactor?: number;
  DestinationConfig?: { OnFailure?: { Destination?: string } };
  TumblingWindowInSeconds?: number;
}

/** What a stream mapping adds to its view. */
interface StreamSettings {
  StartingPosition: 'TRIM_HORIZON' | 'LATEST';
  BisectBatchOnFunctionError: boolean;
  MaximumRetryAttempts: number;
  MaximumRecordAgeInSeconds: number;
  ParallelizationFactor: number;
  DestinationConfig?: { OnFailure: { Destination: string } };
}

export interface EventSourceMappingView extends Partial<StreamSettings> {
  UUID: string;
  EventSourceArn: string;
  FunctionArn: string;
  BatchSize: number;
  MaximumBatchingWindowInSeconds: number;
  FunctionResponseTypes: string[];
  FilterCriteria?: { Filters: Array<{ Pattern: string }> };
  State: string;
  StateTransitionReason: string;
  LastModified: Date;
  LastProcessingResult?: string;
}

export interface EventSourceMappingDeps {
  clock: VirtualClock;
  trace: Trace;
  region: string;
  sqs: SqsService;
  streams: TableStreams;
  /** The function's ARN and role, or undefined when there is no such function. */
  functionOf(nameOrArn: string): { arn: string; roleArn?: string } | undefined;
  invoke(
    functionArn: string,
    event: unknown,
    opts: { cause?: number; source: string },
  ): Promise<InvokeResult>;
  /** Why the role may not do `action` on `resource`; undefined when it may (or IAM is off). */
  deniedToRole(roleArn: string | undefined, action: string, resource: string): string | undefined;
}

interface MappingConfig {
  EventSourceArn: string;
  BatchSize: number;
  MaximumBatchingWindowInSeconds: number;
  Enabled: boolean;
  FunctionResponseTypes: string[];
  FilterCriteria?: { Filters: Array<{ Pattern: string }> };
  /** A stream mapping's settings; absent for a queue. */
  stream?: StreamSettings;
}

interface Mapping {
  uuid: string;
  config: MappingConfig;
  functionArn: string;
  /** The queue polled (SQS), or undefined for a stream, which `poller` reads. */
  queueUrl?: string;
  poller?: StreamPoller;
  /** Where a disabled stream mapping resumes when it is enabled again. */
  checkpoint?: bigint;
  filters: EventPattern[];
  modified: number;
  unwatch?: () => void;
  /** A batch being gathered or invoked: one at a time per mapping keeps FIFO order simple. */
  busy: boolean;
  windowTimer?: unknown;
  again: boolean;
}

const REPORT = 'ReportBatchItemFailures';

export class EventSourceMappings {
  private readonly mappings = new Map<string, Mapping>();

  constructor(private readonly deps: EventSourceMappingDeps) {}

  create(input: EventSourceMappingInput): EventSourceMappingView {
    const fn = this.function(input.FunctionName);
    const isStream = isStreamArn(input.EventSourceArn);
    const queueUrl = isStream ? undefined : this.queue(input.EventSourceArn);
    const config = isStream ? this.validateStream(input) : this.validate(input, queueUrl!);
    const actions = isStream
      ? [
          'dynamodb:DescribeStream',
          'dynamodb:GetRecords',
          'dynamodb:GetShardIterator',
          'dynamodb:ListStreams',
        ]
      : ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'];
    for (const action of actions) {
      if (this.deps.deniedToRole(fn.roleArn, action, config.EventSourceArn))
        throw invalid(
          `The provided execution role does not have permissions to call ${action.split(':')[1]} on ${isStream ? 'DynamoDB' : 'SQS'} (the role ${fn.roleArn ?? '(none)'} of ${fn.arn} must allow ${action} on ${config.EventSourceArn}).`,
        );
    }
    const onFailure = config.stream?.DestinationConfig?.OnFailure.Destination;
    if (onFailure && this.deps.deniedToRole(fn.roleArn, 'sqs:SendMessage', onFailure))
      throw invalid(
        `The provided execution role does not have permissions to call SendMessage on SQS (the role ${fn.roleArn ?? '(none)'} of ${fn.arn} must allow sqs:SendMessage on the OnFailure destination ${onFailure}).`,
      );
    const m: Mapping = {
      uuid: randomUUID(),
      config,
      functionArn: fn.arn,
      queueUrl,
      filters: (config.FilterCriteria?.Filters ?? []).map((f) => parseEventPattern(f.Pattern)),
      modified: this.deps.clock.now(),
      busy: false,
      again: false,
    };
    this.mappings.set(m.uuid, m);
    this.start(m);
    // Lambda answers while the mapping is still being made.
    return { ...this.view(m), State: 'Creating' };
  }

  get(uuid: string): EventSourceMappingView {
    return this.view(this.mapping(uuid));
  }

  list(filter: { FunctionName?: string; EventSourceArn?: string } = {}): EventSourceMappingView[] {
    const fnArn = filter.FunctionName ? this.deps.functionOf(filter.FunctionName)?.arn : undefined;
    return [...this.mappings.values()]
      .filter(
        (m) =>
          (!filter.FunctionName || m.functionArn === fnArn) &&
          (!filter.EventSourceArn || m.config.EventSourceArn === filter.EventSourceArn),
      )
      .map((m) => this.view(m));
  }

  update(uuid: string, input: EventSourceMappingInput): EventSourceMappingView {
    const m = this.mapping(uuid);
    const fn = input.FunctionName ? this.function(input.FunctionName) : undefined;
    if (
      m.config.stream &&
      input.StartingPosition &&
      input.StartingPosition !== m.config.stream.StartingPosition
    )
      throw invalid('StartingPosition cannot be changed: delete the mapping and create a new one.');
    const merged = { ...m.config, ...m.config.stream, ...input, EventSourceArn: m.config.EventSourceArn };
    const config = m.queueUrl ? this.validate(merged, m.queueUrl) : this.validateStream(merged);
    this.stop(m, config.Enabled);
    m.config = config;
    if (fn) m.functionArn = fn.arn;
    m.filters = (config.FilterCriteria?.Filters ?? []).map((f) => parseEventPattern(f.Pattern));
    m.modified = this.deps.clock.now();
    this.start(m);
    return { ...this.view(m), State: 'Updating' };
  }

  delete(uuid: string): EventSourceMappingView {
    const m = this.mapping(uuid);
    this.stop(m);
    this.mappings.delete(uuid);
    return { ...this.view(m), State: 'Deleting' };
  }

  dispose(): void {
    for (const m of this.mappings.values()) this.stop(m);
    this.mappings.clear();
  }

  // ---- polling ------------------------------------------------------------------------

  private start(m: Mapping): void {
    if (!m.config.Enabled) return;
    if (!m.queueUrl) {
      const config = this.pollerConfig(m);
      if (m.poller) m.poller.reconfigure(config);
      else
        m.poller = new StreamPoller(
          config,
          {
            ...this.deps,
            sendToQueue: (arn, body, cause) => {
              const url = this.deps.sqs.urlForArn(arn);
              if (!url) throw new Error(`the queue ${arn} does not exist.`);
              this.deps.sqs.sendMessage(url, { MessageBody: body }, { cause });
            },
          },
          m.checkpoint,
        );
      return;
    }
    const queueUrl = m.queueUrl;
    // Woken by the queue when a message may be receivable; the poll runs after the current
    // call returns (a microtask), never inside the sender's SendMessage.
    m.unwatch = this.deps.sqs.watch(queueUrl, () => this.poke(m));
    this.poke(m);
  }

  /** Stops polling; a stream mapping that is only being updated keeps its position. */
  private stop(m: Mapping, keepPosition = false): void {
    if (!keepPosition && m.poller) {
      m.checkpoint = m.poller.checkpoint;
      m.poller.stop();
      m.poller = undefined;
    }
    m.unwatch?.();
    m.unwatch = undefined;
    if (m.windowTimer !== undefined) this.deps.clock.clearTimeout(m.windowTimer);
    m.windowTimer = undefined;
  }

  private poke(m: Mapping): void {
    if (m.busy) {
      m.again = true;
      return;
    }
    queueMicrotask(() => void this.poll(m));
  }

  private async poll(m: Mapping): Promise<void> {
    const { queueUrl } = m;
    if (!queueUrl || m.busy || !this.mappings.has(m.uuid) || !m.config.Enabled) return;
    const available = () => {
      try {
        return Number(
          this.deps.sqs.getQueueAttributes(queueUrl, ['ApproximateNumberOfMessages'])
            .ApproximateNumberOfMessages,
        );
      } catch {
        return 0; // the queue was deleted: nothing to poll
      }
    };
    const count = available();
    if (count === 0) return;
    const window = m.config.MaximumBatchingWindowInSeconds;
    if (window > 0 && count < m.config.BatchSize && m.windowTimer === undefined) {
      // Gather for the batching window (or until the batch is full, see below).
      m.windowTimer = this.deps.clock.setTimeout(() => {
        m.windowTimer = undefined;
        void this.run(m);
      }, window * 1000);
      return;
    }
    if (m.windowTimer !== undefined && count < m.config.BatchSize) return;
    if (m.windowTimer !== undefined) this.deps.clock.clearTimeout(m.windowTimer);
    m.windowTimer = undefined;
    await this.run(m);
  }

  private async run(m: Mapping): Promise<void> {
    const { queueUrl } = m;
    if (!queueUrl || m.busy || !this.mappings.has(m.uuid)) return;
    m.busy = true;
    m.again = false;
    const batch: ReceivedMessage[] = [];
    try {
      const consumer = `event source mapping ${m.uuid}`;
      let cause: number | undefined;
      while (batch.length < m.config.BatchSize) {
        const got = await this.deps.sqs.receiveMessage(
          queueUrl,
          {
            MaxNumberOfMessages: Math.min(10, m.config.BatchSize - batch.length),
            AttributeNames: ['All'],
            MessageAttributeNames: ['All'],
          },
          { consumer },
        );
        if (got.length === 0) break;
        cause ??= this.lastReceive(consumer);
        batch.push(...got);
      }
      if (batch.length > 0) await this.deliver(m, queueUrl, batch, cause);
    } catch {
      // The queue went away mid-poll: the mapping waits for it (as Lambda's does).
    } finally {
      m.busy = false;
    }
    // Poll again after progress, or when the queue woke us meanwhile. Not merely because
    // messages are visible: a FIFO group in flight leaves visible messages nobody can receive.
    if (m.again || batch.length > 0) this.poke(m);
  }

  /** The sqs.receive entry of this poll: the batch's cause. */
  private lastReceive(consumer: string): number | undefined {
    const all = this.deps.trace.all();
    for (let i = all.length - 1; i >= 0; i--) {
      const e = all[i];
      if (e.kind === 'sqs.receive' && e.consumer === consumer) return e.seq;
    }
    return undefined;
  }

  private async deliver(
    m: Mapping,
    queueUrl: string,
    batch: ReceivedMessage[],
    cause: number | undefined,
  ): Promise<void> {
    const queue = this.deps.sqs.settingsOf(queueUrl);
    const records = batch.map((msg) => sqsRecord(msg, queue.arn, this.deps.region));
    // Filtered out: deleted, never seen by the function.
    const kept = records.filter(
      (r) => m.filters.length === 0 || m.filters.some((f) => matchesPattern(f, filterView(r))),
    );
    for (const r of records) if (!kept.includes(r)) this.deps.sqs.deleteMessage(queueUrl, r.receiptHandle);
    if (kept.length === 0) return;
    const start = this.deps.trace.record({
      kind: 'esm.batch',
      cause,
      uuid: m.uuid,
      eventSourceArn: queue.arn,
      function: m.functionArn,
      records: kept.length,
    });
    let result: InvokeResult | undefined;
    try {
      result = await this.deps.invoke(
        m.functionArn,
        { Records: kept },
        { cause: start.seq, source: `sqs ${queue.name}` },
      );
    } catch {
      result = undefined;
    }
    const failed = this.failures(m, kept, result);
    this.deps.trace.record({
      kind: 'esm.result',
      cause: start.seq,
      uuid: m.uuid,
      ok: failed.length === 0,
      failed: failed.map((r) => r.messageId),
    });
    for (const r of kept) if (!failed.includes(r)) this.deps.sqs.deleteMessage(queueUrl, r.receiptHandle);
  }

  /** The records that failed: all of them when the invoke did, else those the function reports. */
  private failures(m: Mapping, records: SqsRecord[], result: InvokeResult | undefined): SqsRecord[] {
    if (!result || !result.ok) return records;
    if (!m.config.FunctionResponseTypes.includes(REPORT)) return [];
    const outcome = reportedFailures(
      result.payload,
      records.map((r) => r.messageId),
    );
    return outcome.all ? records : records.filter((r) => outcome.failed.includes(r.messageId));
  }

  // ---- checks and views ---------------------------------------------------------------

  private validate(input: EventSourceMappingInput, queueUrl: string): MappingConfig {
    const queue = this.deps.sqs.settingsOf(queueUrl);
    const size = input.BatchSize ?? 10;
    const common = this.validateCommon(input);
    const window = common.MaximumBatchingWindowInSeconds;
    if (!Number.isInteger(size) || size < 1 || size > (queue.fifo ? 10 : 10_000))
      throw invalid(
        queue.fifo
          ? 'BatchSize for a FIFO queue must be between 1 and 10.'
          : 'BatchSize for an SQS queue must be between 1 and 10000.',
      );
    if (size > 10 && window === 0)
      throw invalid(
        'Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10',
      );
    return { ...common, EventSourceArn: queue.arn, BatchSize: size };
  }

  /** A DynamoDB stream's mapping (https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-params.html). */
  private validateStream(input: EventSourceMappingInput): MappingConfig {
    const arn = input.EventSourceArn!;
    if (!this.deps.streams.has(arn))
      throw invalid(
        `Stream not found: ${arn}. Enable the table's stream (StreamSpecification) and use its LatestStreamArn (Fn::GetAtt [Table, StreamArn]).`,
      );
    const common = this.validateCommon(input);
    const size = input.BatchSize ?? 100;
    if (!Number.isInteger(size) || size < 1 || size > 10_000)
      throw invalid('BatchSize for a DynamoDB stream must be between 1 and 10000.');
    const position = input.StartingPosition;
    if (position !== 'TRIM_HORIZON' && position !== 'LATEST')
      throw invalid(
        position === undefined
          ? 'StartingPosition is required for a DynamoDB stream: TRIM_HORIZON or LATEST.'
          : `StartingPosition ${position} is not supported for a DynamoDB stream: use TRIM_HORIZON or LATEST.`,
      );
    const retries = input.MaximumRetryAttempts ?? -1;
    if (!Number.isInteger(retries) || retries < -1 || retries > 10_000)
      throw invalid(
        'MaximumRetryAttempts must be -1 (retry until the record expires) or between 0 and 10000.',
      );
    const age = input.MaximumRecordAgeInSeconds ?? -1;
    if (!Number.isInteger(age) || (age !== -1 && (age < 60 || age > 604_800)))
      throw invalid('MaximumRecordAgeInSeconds must be -1 (no limit) or between 60 and 604800.');
    const parallel = input.ParallelizationFactor ?? 1;
    if (!Number.isInteger(parallel) || parallel < 1 || parallel > 10)
      throw invalid('ParallelizationFactor must be between 1 and 10.');
    if (input.TumblingWindowInSeconds)
      throw invalid(
        "TumblingWindowInSeconds is not supported by the local cloud's stream mappings: leave it out locally, or run against AWS with --aws.",
      );
    const destination = input.DestinationConfig?.OnFailure?.Destination;
    if (destination !== undefined && !/^arn:aws[a-z-]*:sqs:/.test(destination))
      throw invalid(
        `The local cloud sends a stream mapping's failure records to SQS queues only; ${destination} is not one. (SNS and S3 destinations work on AWS.)`,
      );
    if (destination !== undefined && !this.deps.sqs.urlForArn(destination))
      throw invalid(`The OnFailure destination ${destination} does not exist: create the queue first.`);
    return {
      ...common,
      EventSourceArn: arn,
      BatchSize: size,
      stream: {
        StartingPosition: position,
        BisectBatchOnFunctionError: input.BisectBatchOnFunctionError ?? false,
        MaximumRetryAttempts: retries,
        MaximumRecordAgeInSeconds: age,
        ParallelizationFactor: parallel,
        ...(destination !== undefined
          ? { DestinationConfig: { OnFailure: { Destination: destination } } }
          : {}),
      },
    };
  }

  /** What queues and streams check alike: the batching window, response types and filters. */
  private validateCommon(input: EventSourceMappingInput) {
    const window = input.MaximumBatchingWindowInSeconds ?? 0;
    if (!Number.isInteger(window) || window < 0 || window > 300)
      throw invalid('MaximumBatchingWindowInSeconds must be between 0 and 300.');
    const types = input.FunctionResponseTypes ?? [];
    for (const t of types)
      if (t !== REPORT) throw invalid(`FunctionResponseTypes can only contain ${REPORT}, not ${t}.`);
    const filters = input.FilterCriteria?.Filters?.map((f) => ({ Pattern: String(f.Pattern ?? '') }));
    for (const f of filters ?? []) {
      try {
        parseEventPattern(f.Pattern);
      } catch (err) {
        throw invalid(`Invalid filter pattern definition: ${(err as Error).message}`);
      }
    }
    return {
      MaximumBatchingWindowInSeconds: window,
      Enabled: input.Enabled ?? true,
      FunctionResponseTypes: types,
      ...(filters?.length ? { FilterCriteria: { Filters: filters } } : {}),
    };
  }

  private function(name: string | undefined): { arn: string; roleArn?: string } {
    if (!name) throw invalid('FunctionName is required.');
    const fn = this.deps.functionOf(name);
    if (!fn)
      throw new AwsError('ResourceNotFoundException', `Function not found: ${name}`, 404, { Type: 'User' });
    return fn;
  }

  private queue(arn: string | undefined): string {
    if (!arn) throw invalid('EventSourceArn is required.');
    if (!/^arn:aws[a-z-]*:sqs:/.test(arn))
      throw invalid(
        `The local cloud's event source mappings read SQS queues and DynamoDB streams; ${arn} is neither. (Kinesis, Kafka, MQ and DocumentDB sources are not supported locally: run against AWS with --aws.)`,
      );
    const url = this.deps.sqs.urlForArn(arn);
    if (!url)
      throw invalid(
        `Error occurred while ReceiveMessage. SQS Error Code: AWS.SimpleQueueService.NonExistentQueue. SQS Error Message: The specified queue does not exist (${arn}).`,
      );
    return url;
  }

  private mapping(uuid: string): Mapping {
    const m = this.mappings.get(uuid);
    if (!m)
      throw new AwsError('ResourceNotFoundException', 'The resource you requested does not exist.', 404, {
        Type: 'User',
      });
    return m;
  }

  private view(m: Mapping): EventSourceMappingView {
    return {
      UUID: m.uuid,
      EventSourceArn: m.config.EventSourceArn,
      FunctionArn: m.functionArn,
      BatchSize: m.config.BatchSize,
      MaximumBatchingWindowInSeconds: m.config.MaximumBatchingWindowInSeconds,
      FunctionResponseTypes: m.config.FunctionResponseTypes,
      ...(m.config.FilterCriteria ? { FilterCriteria: m.config.FilterCriteria } : {}),
      ...m.config.stream,
      State: m.config.Enabled ? 'Enabled' : 'Disabled',
      StateTransitionReason: 'USER_INITIATED',
      LastModified: new Date(m.modified),
      ...(m.config.stream ? { LastProcessingResult: m.poller?.result ?? 'No records processed' } : {}),
    };
  }

  private pollerConfig(m: Mapping): StreamPollerConfig {
    const { config } = m;
    const stream = config.stream!;
    return {
      uuid: m.uuid,
      streamArn: config.EventSourceArn,
      functionArn: () => m.functionArn,
      batchSize: config.BatchSize,
      windowSeconds: config.MaximumBatchingWindowInSeconds,
      startingPosition: stream.StartingPosition,
      filters: m.filters,
      bisect: stream.BisectBatchOnFunctionError,
      maxRetries: stream.MaximumRetryAttempts,
      maxRecordAgeSeconds: stream.MaximumRecordAgeInSeconds,
      reportItemFailures: config.FunctionResponseTypes.includes(REPORT),
      onFailure: stream.DestinationConfig?.OnFailure.Destination,
    };
  }
}

interface SqsRecord {
  messageId: string;
  receiptHandle: string;
  body: string;
  attributes: Record<string, string>;
  messageAttributes: Record<string, unknown>;
  md5OfBody: string;
  md5OfMessageAttributes?: string;
  eventSource: 'aws:sqs';
  eventSourceARN: string;
  awsRegion: string;
}

/** One message as Lambda hands it to the function (the sample event of the SQS guide). */
function sqsRecord(m: ReceivedMessage, queueArn: string, region: string): SqsRecord {
  const messageAttributes = Object.fromEntries(
    Object.entries(m.MessageAttributes ?? {}).map(([name, a]) => [
      name,
      {
        ...(a.StringValue !== undefined ? { stringValue: a.StringValue } : {}),
        ...(a.BinaryValue !== undefined ? { binaryValue: a.BinaryValue } : {}),
        stringListValues: [],
        binaryListValues: [],
        dataType: a.DataType,
      },
    ]),
  );
  return {
    messageId: m.MessageId,
    receiptHandle: m.ReceiptHandle,
    body: m.Body,
    attributes: m.Attributes ?? {},
    messageAttributes,
    md5OfBody: m.MD5OfBody,
    ...(m.MD5OfMessageAttributes ? { md5OfMessageAttributes: m.MD5OfMessageAttributes } : {}),
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: region,
  };
}

/** What a filter sees: the record, with a JSON body parsed (a plain-text body stays a string). */
function filterView(r: SqsRecord): object {
  let body: unknown = r.body;
  try {
    body = JSON.parse(r.body);
  } catch {
    // not JSON: patterns match it as a string
  }
  return { ...r, body };
}

/** A DynamoDB stream's ARN: `arn:aws:dynamodb:<region>:<account>:table/<name>/stream/<label>`. */
export function isStreamArn(arn: unknown): boolean {
  return typeof arn === 'string' && /^arn:aws[a-z-]*:dynamodb:[^:]*:[^:]*:table\/[^/]+\/stream\/./.test(arn);
}

const invalid = (message: string) =>
  new AwsError('InvalidParameterValueException', message, 400, { Type: 'User' });
