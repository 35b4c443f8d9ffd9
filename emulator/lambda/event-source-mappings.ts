/**
 * Lambda event source mappings for SQS queues: Lambda's poller, on the virtual clock.
 *
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
 */
import { randomUUID } from 'node:crypto';
import type { VirtualClock } from '../core/clock.ts';
import { AwsError } from '../core/errors.ts';
import type { Trace } from '../core/trace.ts';
import { matchesPattern, parseEventPattern, type EventPattern } from '../events/index.ts';
import type { ReceivedMessage, SqsService } from '../sqs/index.ts';
import type { InvokeResult } from './service.ts';

export interface EventSourceMappingInput {
  FunctionName?: string;
  EventSourceArn?: string;
  BatchSize?: number;
  MaximumBatchingWindowInSeconds?: number;
  Enabled?: boolean;
  FunctionResponseTypes?: string[];
  FilterCriteria?: { Filters?: Array<{ Pattern?: string }> };
}

export interface EventSourceMappingView {
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
}

export interface EventSourceMappingDeps {
  clock: VirtualClock;
  trace: Trace;
  region: string;
  sqs: SqsService;
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

interface Mapping {
  uuid: string;
  config: Required<Omit<EventSourceMappingInput, 'FilterCriteria' | 'FunctionName'>> & {
    FilterCriteria?: { Filters: Array<{ Pattern: string }> };
  };
  functionArn: string;
  queueUrl: string;
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
    const queueUrl = this.queue(input.EventSourceArn);
    const config = this.validate(input, queueUrl);
    for (const action of ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes']) {
      if (this.deps.deniedToRole(fn.roleArn, action, config.EventSourceArn))
        throw invalid(
          `The provided execution role does not have permissions to call ${action.slice(4)} on SQS (the role ${fn.roleArn ?? '(none)'} of ${fn.arn} must allow ${action} on ${config.EventSourceArn}).`,
        );
    }
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
    const config = this.validate(
      { ...m.config, ...input, EventSourceArn: m.config.EventSourceArn },
      m.queueUrl,
    );
    this.stop(m);
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
    // Woken by the queue when a message may be receivable; the poll runs after the current
    // call returns (a microtask), never inside the sender's SendMessage.
    m.unwatch = this.deps.sqs.watch(m.queueUrl, () => this.poke(m));
    this.poke(m);
  }

  private stop(m: Mapping): void {
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
    if (m.busy || !this.mappings.has(m.uuid) || !m.config.Enabled) return;
    const available = () => {
      try {
        return Number(
          this.deps.sqs.getQueueAttributes(m.queueUrl, ['ApproximateNumberOfMessages'])
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
    if (m.busy || !this.mappings.has(m.uuid)) return;
    m.busy = true;
    m.again = false;
    const batch: ReceivedMessage[] = [];
    try {
      const consumer = `event source mapping ${m.uuid}`;
      let cause: number | undefined;
      while (batch.length < m.config.BatchSize) {
        const got = await this.deps.sqs.receiveMessage(
          m.queueUrl,
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
      if (batch.length > 0) await this.deliver(m, batch, cause);
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

  private async deliver(m: Mapping, batch: ReceivedMessage[], cause: number | undefined): Promise<void> {
    const queue = this.deps.sqs.settingsOf(m.queueUrl);
    const records = batch.map((msg) => sqsRecord(msg, queue.arn, this.deps.region));
    // Filtered out: deleted, never seen by the function.
    const kept = records.filter(
      (r) => m.filters.length === 0 || m.filters.some((f) => matchesPattern(f, filterView(r))),
    );
    for (const r of records) if (!kept.includes(r)) this.deps.sqs.deleteMessage(m.queueUrl, r.receiptHandle);
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
    for (const r of kept) if (!failed.includes(r)) this.deps.sqs.deleteMessage(m.queueUrl, r.receiptHandle);
  }

  /** The records that failed: all of them when the invoke did, else those the function reports. */
  private failures(m: Mapping, records: SqsRecord[], result: InvokeResult | undefined): SqsRecord[] {
    if (!result || !result.ok) return records;
    if (!m.config.FunctionResponseTypes.includes(REPORT)) return [];
    const payload = result.payload as { batchItemFailures?: unknown } | null;
    const list = payload && typeof payload === 'object' ? payload.batchItemFailures : undefined;
    if (list === undefined || list === null) return [];
    if (!Array.isArray(list)) return records;
    const failed: SqsRecord[] = [];
    for (const item of list) {
      const id = (item as { itemIdentifier?: unknown })?.itemIdentifier;
      const record = records.find((r) => r.messageId === id);
      // "If the response contains an invalid itemIdentifier, Lambda treats the whole batch as failed."
      if (!record) return records;
      failed.push(record);
    }
    return failed;
  }

  // ---- checks and views ---------------------------------------------------------------

  private validate(input: EventSourceMappingInput, queueUrl: string): Mapping['config'] {
    const queue = this.deps.sqs.settingsOf(queueUrl);
    const window = input.MaximumBatchingWindowInSeconds ?? 0;
    const size = input.BatchSize ?? 10;
    if (!Number.isInteger(window) || window < 0 || window > 300)
      throw invalid('MaximumBatchingWindowInSeconds must be between 0 and 300.');
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
      EventSourceArn: queue.arn,
      BatchSize: size,
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
        `The local cloud's event source mappings read SQS queues; ${arn} is not one. (DynamoDB Streams, Kinesis, Kafka, MQ and DocumentDB sources are not supported locally: run against AWS with --aws.)`,
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
      State: m.config.Enabled ? 'Enabled' : 'Disabled',
      StateTransitionReason: 'USER_INITIATED',
      LastModified: new Date(m.modified),
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

const invalid = (message: string) =>
  new AwsError('InvalidParameterValueException', message, 400, { Type: 'User' });
