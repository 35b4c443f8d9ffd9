/**
 * Amazon SQS in the local cloud: standard and FIFO queues on the virtual clock.
 *
 * - a received message is invisible for the visibility timeout, then visible again unless
 *   deleted; each receive counts (ApproximateReceiveCount) and gets a new receipt handle;
 * - a queue with a RedrivePolicy moves a message to its dead-letter queue when it would be
 *   received more than maxReceiveCount times;
 * - FIFO queues keep order within a message group and hold back a group while one of its
 *   messages is in flight; a deduplication id (given, or the body's SHA-256 with
 *   ContentBasedDeduplication) drops a repeat sent within 5 minutes;
 * - ReceiveMessage with WaitTimeSeconds waits on the virtual clock for a message;
 * - messages older than MessageRetentionPeriod are dropped.
 *
 * Everything a program can see is traced: sqs.send, sqs.receive, sqs.delete, sqs.redrive.
 * Consumers inside the local cloud (event source mappings) use `receive` and `watch`.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { VirtualClock } from '../core/clock.ts';
import type { Trace } from '../core/trace.ts';
import {
  applyAttributes,
  defaultSettings,
  READ_ONLY,
  settingsAsAttributes,
  type QueueSettings,
} from './attributes.ts';
import { invalidParameter, missingParameter, noSuchQueue, sqsError } from './errors.ts';
import { md5, md5OfAttributes, type MessageAttributeValue } from './md5.ts';

export interface SqsDeps {
  clock: VirtualClock;
  trace: Trace;
  region: string;
  accountId: string;
  /** The gateway's URL: queue URLs are `<endpoint>/<account>/<name>`. */
  endpoint(): string;
}

export interface SendInput {
  MessageBody?: string;
  DelaySeconds?: number;
  MessageAttributes?: Record<string, MessageAttributeValue>;
  MessageSystemAttributes?: Record<string, MessageAttributeValue>;
  MessageDeduplicationId?: string;
  MessageGroupId?: string;
}

export interface SendResult {
  MessageId: string;
  MD5OfMessageBody: string;
  MD5OfMessageAttributes?: string;
  SequenceNumber?: string;
}

export interface ReceiveInput {
  MaxNumberOfMessages?: number;
  VisibilityTimeout?: number;
  WaitTimeSeconds?: number;
  AttributeNames?: string[];
  MessageSystemAttributeNames?: string[];
  MessageAttributeNames?: string[];
}

export interface ReceivedMessage {
  MessageId: string;
  ReceiptHandle: string;
  MD5OfBody: string;
  Body: string;
  Attributes?: Record<string, string>;
  MD5OfMessageAttributes?: string;
  MessageAttributes?: Record<string, MessageAttributeValue>;
}

interface Message {
  id: string;
  body: string;
  attributes: Record<string, MessageAttributeValue>;
  sentAt: number;
  /** When it was first sent to any queue (a redriven message keeps it, as on AWS). */
  enqueuedAt: number;
  visibleAt: number;
  receiveCount: number;
  firstReceiveAt?: number;
  /** The handle of the current receive; older handles no longer change visibility. */
  handle?: string;
  groupId?: string;
  dedupId?: string;
  sequence?: string;
  sourceArn?: string;
  senderId: string;
}

interface Queue {
  name: string;
  url: string;
  arn: string;
  fifo: boolean;
  settings: QueueSettings;
  created: number;
  modified: number;
  messages: Message[];
  tags: Record<string, string>;
  /** FIFO: deduplication id → when it was sent and what it was answered. */
  dedup: Map<string, { at: number; result: SendResult }>;
  lastPurge?: number;
  /** Woken when a message may have become receivable. */
  waiters: Set<() => void>;
  /** ReceiveMessage calls waiting (long polls). */
  polls: number;
  timer?: unknown;
  timerAt?: number;
}

const NAME = /^[A-Za-z0-9_-]{1,80}$/;
/** The names GetQueueAttributes knows (the API model's QueueAttributeName). */
const QUEUE_ATTRIBUTE_NAMES = new Set([
  ...READ_ONLY,
  'Policy',
  'VisibilityTimeout',
  'MaximumMessageSize',
  'MessageRetentionPeriod',
  'DelaySeconds',
  'ReceiveMessageWaitTimeSeconds',
  'RedrivePolicy',
  'FifoQueue',
  'ContentBasedDeduplication',
  'KmsMasterKeyId',
  'KmsDataKeyReusePeriodSeconds',
  'DeduplicationScope',
  'FifoThroughputLimit',
  'RedriveAllowPolicy',
  'SqsManagedSseEnabled',
]);
const DEDUP_WINDOW_MS = 5 * 60_000;
// SQS's own limits on these parameters.
const MAX_WAIT_SECONDS = 20;
const MAX_VISIBILITY_SECONDS = 43_200;
// The characters a message may hold, as SQS lists them (XML 1.0's).
const ALLOWED = /^[\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]*$/u;

export class SqsService {
  private readonly queues = new Map<string, Queue>();
  private sequence = 10_000_000_000_000_000_000n;

  constructor(private readonly deps: SqsDeps) {}

  arnOf(name: string): string {
    return `arn:aws:sqs:${this.deps.region}:${this.deps.accountId}:${name}`;
  }

  urlOf(name: string): string {
    return `${this.deps.endpoint()}/${this.deps.accountId}/${name}`;
  }

  // ---- queues -------------------------------------------------------------------------

  createQueue(
    name: string | undefined,
    attributes: Record<string, unknown> = {},
    tags: Record<string, string> = {},
  ): string {
    if (!name) throw missingParameter('QueueName');
    const fifo = String(attributes.FifoQueue ?? name.endsWith('.fifo')) === 'true';
    if (attributes.FifoQueue !== undefined && !['true', 'false'].includes(String(attributes.FifoQueue)))
      throw sqsError('InvalidAttributeValue', 'Invalid value for the parameter FifoQueue.');
    if (
      fifo ? !(name.endsWith('.fifo') && NAME.test(name.slice(0, -5)) && name.length <= 80) : !NAME.test(name)
    )
      throw sqsError(
        'InvalidParameterValue',
        fifo
          ? 'The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.'
          : 'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length',
      );
    const settings = applyAttributes(defaultSettings(), attributes, fifo, (arn) => this.typeOf(arn));
    const existing = this.queues.get(name);
    if (existing) {
      // The same name with the same attributes is the same queue; with others, an error.
      const same =
        existing.fifo === fifo &&
        JSON.stringify(settingsAsAttributes(existing.settings, fifo)) ===
          JSON.stringify(settingsAsAttributes(settings, fifo));
      if (!same)
        throw sqsError(
          'QueueNameExists',
          'A queue already exists with the same name and a different value for attribute(s).',
        );
      return existing.url;
    }
    const now = this.deps.clock.now();
    const queue: Queue = {
      name,
      url: this.urlOf(name),
      arn: this.arnOf(name),
      fifo,
      settings,
      created: now,
      modified: now,
      messages: [],
      tags: { ...tags },
      dedup: new Map(),
      waiters: new Set(),
      polls: 0,
    };
    this.queues.set(name, queue);
    return queue.url;
  }

  getQueueUrl(name: string | undefined): string {
    if (!name) throw missingParameter('QueueName');
    const q = this.queues.get(name);
    if (!q) throw noSuchQueue();
    return q.url;
  }

  listQueues(prefix?: string): string[] {
    return [...this.queues.values()].filter((q) => !prefix || q.name.startsWith(prefix)).map((q) => q.url);
  }

  deleteQueue(url: string): void {
    const q = this.queue(url);
    if (q.timer !== undefined) this.deps.clock.clearTimeout(q.timer);
    this.queues.delete(q.name);
    for (const wake of q.waiters) wake();
  }

  purgeQueue(url: string): void {
    const q = this.queue(url);
    const now = this.deps.clock.now();
    if (q.lastPurge !== undefined && now - q.lastPurge < 60_000)
      throw sqsError(
        'PurgeQueueInProgress',
        `Only one PurgeQueue operation on ${q.name} is allowed every 60 seconds.`,
      );
    q.lastPurge = now;
    q.messages = [];
  }

  getQueueAttributes(url: string, names: string[] = []): Record<string, string> {
    const q = this.queue(url);
    this.expire(q);
    const now = this.deps.clock.now();
    const all: Record<string, string> = {
      QueueArn: q.arn,
      ApproximateNumberOfMessages: String(q.messages.filter((m) => m.visibleAt <= now).length),
      ApproximateNumberOfMessagesNotVisible: String(
        q.messages.filter((m) => m.visibleAt > now && m.receiveCount > 0).length,
      ),
      ApproximateNumberOfMessagesDelayed: String(
        q.messages.filter((m) => m.visibleAt > now && m.receiveCount === 0).length,
      ),
      CreatedTimestamp: String(Math.floor(q.created / 1000)),
      LastModifiedTimestamp: String(Math.floor(q.modified / 1000)),
      ...settingsAsAttributes(q.settings, q.fifo),
    };
    if (names.length === 0) return {};
    if (names.includes('All')) return all;
    const out: Record<string, string> = {};
    for (const n of names) {
      if (!QUEUE_ATTRIBUTE_NAMES.has(n)) throw sqsError('InvalidAttributeName', `Unknown Attribute ${n}.`);
      if (n in all) out[n] = all[n];
    }
    return out;
  }

  setQueueAttributes(url: string, attributes: Record<string, unknown>): void {
    const q = this.queue(url);
    if ('FifoQueue' in attributes) throw sqsError('InvalidAttributeName', 'Unknown Attribute FifoQueue.');
    for (const n of Object.keys(attributes))
      if (READ_ONLY.has(n)) throw sqsError('InvalidAttributeName', `Unknown Attribute ${n}.`);
    q.settings = applyAttributes(q.settings, attributes, q.fifo, (arn) => this.typeOf(arn));
    q.modified = this.deps.clock.now();
  }

  tagQueue(url: string, tags: Record<string, string>): void {
    Object.assign(this.queue(url).tags, tags);
  }

  untagQueue(url: string, keys: string[]): void {
    const q = this.queue(url);
    for (const k of keys) delete q.tags[k];
  }

  listQueueTags(url: string): Record<string, string> {
    return { ...this.queue(url).tags };
  }

  listDeadLetterSourceQueues(url: string): string[] {
    const q = this.queue(url);
    return [...this.queues.values()]
      .filter((s) => s.settings.RedrivePolicy?.deadLetterTargetArn === q.arn)
      .map((s) => s.url);
  }

  /** Whether an ARN names a queue here, and of which kind. */
  typeOf(arn: string): 'fifo' | 'standard' | undefined {
    const q = this.byArn(arn);
    return q ? (q.fifo ? 'fifo' : 'standard') : undefined;
  }

  /** A queue's URL from its ARN (for targets and event source mappings); undefined when there is none. */
  urlForArn(arn: string): string | undefined {
    return this.byArn(arn)?.url;
  }

  /** The queue's settings, for consumers that follow them (its visibility timeout). */
  settingsOf(url: string): Readonly<QueueSettings> & { fifo: boolean; arn: string; name: string } {
    const q = this.queue(url);
    return { ...q.settings, fifo: q.fifo, arn: q.arn, name: q.name };
  }

  // ---- messages -----------------------------------------------------------------------

  sendMessage(url: string, input: SendInput, opts: { cause?: number; sender?: string } = {}): SendResult {
    const q = this.queue(url);
    this.checkMessage(q, input);
    return this.enqueue(q, input, opts);
  }

  /** Checks one message as SendMessage does; throws SQS's error. */
  checkMessage(q: { fifo: boolean; settings: QueueSettings }, input: SendInput): void {
    if (input.MessageBody === undefined || input.MessageBody === null) throw missingParameter('MessageBody');
    const body = String(input.MessageBody);
    if (body.length === 0)
      throw invalidParameter('MessageBody', '', 'Message must be at least one character.');
    if (!ALLOWED.test(body))
      throw sqsError(
        'InvalidMessageContents',
        'Invalid characters found. Valid values are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF.',
      );
    const size = Buffer.byteLength(body) + attributesSize(input.MessageAttributes);
    if (size > q.settings.MaximumMessageSize)
      throw sqsError(
        'InvalidParameterValue',
        `One or more parameters are invalid. Reason: Message must be shorter than ${q.settings.MaximumMessageSize} bytes.`,
      );
    for (const [name, a] of Object.entries(input.MessageAttributes ?? {})) checkAttribute(name, a);
    if (input.DelaySeconds !== undefined) {
      const d = Number(input.DelaySeconds);
      if (q.fifo)
        throw invalidParameter(
          'DelaySeconds',
          input.DelaySeconds,
          'The request include parameter that is not valid for this queue type.',
        );
      if (!Number.isInteger(d) || d < 0 || d > 900)
        throw invalidParameter('DelaySeconds', input.DelaySeconds, 'Must be >= 0 and <= 900, if provided.');
    }
    if (q.fifo) {
      if (!input.MessageGroupId) throw missingParameter('MessageGroupId');
      if (!/^[\x21-\x7e]{1,128}$/.test(input.MessageGroupId))
        throw invalidParameter(
          'MessageGroupId',
          input.MessageGroupId,
          'MessageGroupId can only include alphanumeric and punctuation characters. 1 to 128 in length.',
        );
      if (!input.MessageDeduplicationId && !q.settings.ContentBasedDeduplication)
        throw sqsError(
          'InvalidParameterValue',
          'The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
        );
    } else if (input.MessageDeduplicationId !== undefined) {
      throw invalidParameter(
        'MessageDeduplicationId',
        input.MessageDeduplicationId,
        'The request include parameter that is not valid for this queue type',
      );
    }
  }

  receiveMessage(
    url: string,
    input: ReceiveInput,
    opts: { cause?: number; consumer?: string } = {},
  ): Promise<ReceivedMessage[]> {
    const q = this.queue(url);
    const max = input.MaxNumberOfMessages ?? 1;
    if (!Number.isInteger(max) || max < 1 || max > 10)
      throw invalidParameter('MaxNumberOfMessages', max, 'Must be between 1 and 10, if provided.');
    const visibility = input.VisibilityTimeout ?? q.settings.VisibilityTimeout;
    if (!Number.isInteger(visibility) || visibility < 0 || visibility > MAX_VISIBILITY_SECONDS)
      throw invalidParameter(
        'VisibilityTimeout',
        visibility,
        `Must be >= 0 and <= ${MAX_VISIBILITY_SECONDS}, if provided.`,
      );
    const wait = input.WaitTimeSeconds ?? q.settings.ReceiveMessageWaitTimeSeconds;
    if (!Number.isInteger(wait) || wait < 0 || wait > MAX_WAIT_SECONDS)
      throw invalidParameter(
        'WaitTimeSeconds',
        wait,
        `Must be >= 0 and <= ${MAX_WAIT_SECONDS}, if provided.`,
      );
    const names = [...(input.AttributeNames ?? []), ...(input.MessageSystemAttributeNames ?? [])];
    const take = () => this.take(q, max, visibility, names, input.MessageAttributeNames ?? [], opts);
    const first = take();
    if (first.length > 0 || wait === 0) return Promise.resolve(first);
    // Long polling: wait on the virtual clock until a message can be received, or time is up.
    const deadline = this.deps.clock.now() + wait * 1000;
    return new Promise((resolve) => {
      const timer = this.deps.clock.setTimeout(() => finish([]), wait * 1000);
      const finish = (got: ReceivedMessage[]) => {
        this.deps.clock.clearTimeout(timer);
        q.waiters.delete(wake);
        q.polls--;
        resolve(got);
      };
      const wake = () => {
        if (!this.queues.has(q.name)) return finish([]);
        const got = take();
        if (got.length > 0 || this.deps.clock.now() >= deadline) finish(got);
        else this.rearm(q);
      };
      q.waiters.add(wake);
      q.polls++;
      this.rearm(q);
    });
  }

  /** Calls `listener` whenever a message may have become receivable; returns the unsubscriber. */
  watch(url: string, listener: () => void): () => void {
    const q = this.queue(url);
    q.waiters.add(listener);
    this.rearm(q);
    return () => q.waiters.delete(listener);
  }

  deleteMessage(url: string, receiptHandle: string | undefined, opts: { cause?: number } = {}): void {
    const q = this.queue(url);
    const h = parseHandle(receiptHandle, q.name);
    // SQS accepts a handle of a message already deleted (or received again since).
    const i = q.messages.findIndex((m) => m.id === h.messageId);
    if (i < 0) return;
    const [m] = q.messages.splice(i, 1);
    this.deps.trace.record({ kind: 'sqs.delete', cause: opts.cause, queue: q.name, messageId: m.id });
    if (q.fifo) this.wake(q);
  }

  changeMessageVisibility(url: string, receiptHandle: string | undefined, timeout: number): void {
    const q = this.queue(url);
    const h = parseHandle(receiptHandle, q.name);
    if (!Number.isInteger(timeout) || timeout < 0 || timeout > MAX_VISIBILITY_SECONDS)
      throw invalidParameter(
        'VisibilityTimeout',
        timeout,
        `Must be >= 0 and <= ${MAX_VISIBILITY_SECONDS}, if provided.`,
      );
    const now = this.deps.clock.now();
    const m = q.messages.find((x) => x.id === h.messageId);
    if (!m || m.handle !== receiptHandle || m.visibleAt <= now)
      throw sqsError(
        'MessageNotInflight',
        'Message does not exist or is not available for visibility timeout change.',
      );
    m.visibleAt = now + timeout * 1000;
    this.wake(q);
  }

  /** For the board and the checker: each queue with its message counts. */
  all(): Array<{
    name: string;
    url: string;
    arn: string;
    fifo: boolean;
    messages: number;
    inFlight: number;
    polls: number;
  }> {
    const now = this.deps.clock.now();
    return [...this.queues.values()].map((q) => ({
      name: q.name,
      url: q.url,
      arn: q.arn,
      fifo: q.fifo,
      messages: q.messages.filter((m) => m.visibleAt <= now).length,
      inFlight: q.messages.filter((m) => m.visibleAt > now && m.receiveCount > 0).length,
      polls: q.polls,
    }));
  }

  dispose(): void {
    for (const q of this.queues.values()) {
      if (q.timer !== undefined) this.deps.clock.clearTimeout(q.timer);
      q.waiters.clear();
    }
    this.queues.clear();
  }

  // ---- inside -------------------------------------------------------------------------

  private enqueue(
    q: Queue,
    input: SendInput,
    opts: { cause?: number; sender?: string },
    moved?: Message,
  ): SendResult {
    const now = this.deps.clock.now();
    const body = String(input.MessageBody);
    const attributes = input.MessageAttributes ?? {};
    let dedupId: string | undefined;
    if (q.fifo) {
      dedupId = input.MessageDeduplicationId ?? createHash('sha256').update(body).digest('hex');
      for (const [id, seen] of q.dedup) if (now - seen.at >= DEDUP_WINDOW_MS) q.dedup.delete(id);
      const seen = q.dedup.get(dedupId);
      // A repeat within 5 minutes is accepted and dropped: the answer is the first one's.
      if (seen) return seen.result;
    }
    const message: Message = {
      id: moved?.id ?? randomUUID(),
      body,
      attributes,
      sentAt: now,
      enqueuedAt: moved?.enqueuedAt ?? now,
      visibleAt: now + (q.fifo ? 0 : (input.DelaySeconds ?? q.settings.DelaySeconds) * 1000),
      receiveCount: 0,
      groupId: input.MessageGroupId,
      dedupId,
      sequence: q.fifo ? String(this.sequence++) : undefined,
      sourceArn: moved ? moved.sourceArn : undefined,
      senderId: opts.sender ?? this.deps.accountId,
    };
    q.messages.push(message);
    const result: SendResult = {
      MessageId: message.id,
      MD5OfMessageBody: md5(body),
      ...(md5OfAttributes(attributes) ? { MD5OfMessageAttributes: md5OfAttributes(attributes) } : {}),
      ...(message.sequence ? { SequenceNumber: message.sequence } : {}),
    };
    if (dedupId) q.dedup.set(dedupId, { at: now, result });
    if (!moved)
      this.deps.trace.record({
        kind: 'sqs.send',
        cause: opts.cause,
        queue: q.name,
        messageId: message.id,
        body: summarizeBody(body),
        groupId: message.groupId,
      });
    this.wake(q);
    return result;
  }

  private take(
    q: Queue,
    max: number,
    visibility: number,
    attributeNames: string[],
    messageAttributeNames: string[],
    opts: { cause?: number; consumer?: string },
  ): ReceivedMessage[] {
    this.expire(q);
    const now = this.deps.clock.now();
    const out: ReceivedMessage[] = [];
    // FIFO: a group with a message in flight gives nothing until that message is done.
    const blocked = new Set(
      q.fifo ? q.messages.filter((m) => m.visibleAt > now && m.receiveCount > 0).map((m) => m.groupId) : [],
    );
    for (const m of [...q.messages]) {
      if (out.length >= max) break;
      if (m.visibleAt > now) continue;
      if (q.fifo && blocked.has(m.groupId)) continue;
      const redrive = q.settings.RedrivePolicy;
      if (
        redrive &&
        m.receiveCount >= redrive.maxReceiveCount &&
        this.redrive(q, m, redrive.deadLetterTargetArn, opts.cause)
      ) {
        continue;
      }
      m.receiveCount++;
      m.firstReceiveAt ??= now;
      m.visibleAt = now + visibility * 1000;
      m.handle = receiptHandle(q.name, m.id);
      out.push(this.view(m, attributeNames, messageAttributeNames));
    }
    if (out.length > 0) {
      this.deps.trace.record({
        kind: 'sqs.receive',
        cause: opts.cause,
        queue: q.name,
        consumer: opts.consumer,
        messageIds: out.map((m) => m.MessageId),
      });
      this.rearm(q);
    }
    return out;
  }

  /** Moves a message to the dead-letter queue; false when that queue is gone (the message stays). */
  private redrive(q: Queue, m: Message, dlqArn: string, cause?: number): boolean {
    const dlq = this.byArn(dlqArn);
    if (!dlq) return false;
    q.messages.splice(q.messages.indexOf(m), 1);
    this.enqueue(
      dlq,
      {
        MessageBody: m.body,
        MessageAttributes: m.attributes,
        MessageGroupId: m.groupId,
        MessageDeduplicationId: m.dedupId,
      },
      {},
      { ...m, sourceArn: q.arn },
    );
    this.deps.trace.record({
      kind: 'sqs.redrive',
      cause,
      queue: q.name,
      deadLetterQueue: dlq.name,
      messageId: m.id,
      receiveCount: m.receiveCount,
    });
    return true;
  }

  private view(m: Message, attributeNames: string[], messageAttributeNames: string[]): ReceivedMessage {
    const system: Record<string, string> = {
      SenderId: m.senderId,
      SentTimestamp: String(m.sentAt),
      ApproximateReceiveCount: String(m.receiveCount),
      ApproximateFirstReceiveTimestamp: String(m.firstReceiveAt),
    };
    if (m.groupId) system.MessageGroupId = m.groupId;
    if (m.dedupId) system.MessageDeduplicationId = m.dedupId;
    if (m.sequence) system.SequenceNumber = m.sequence;
    if (m.sourceArn) system.DeadLetterQueueSourceArn = m.sourceArn;
    const all = attributeNames.includes('All');
    const attributes = Object.fromEntries(
      Object.entries(system).filter(([k]) => all || attributeNames.includes(k)),
    );
    const wanted = Object.entries(m.attributes).filter(([k]) =>
      messageAttributeNames.some(
        (n) => n === 'All' || n === '.*' || n === k || (n.endsWith('.*') && k.startsWith(n.slice(0, -1))),
      ),
    );
    const messageAttributes = Object.fromEntries(wanted);
    return {
      MessageId: m.id,
      ReceiptHandle: m.handle!,
      MD5OfBody: md5(m.body),
      Body: m.body,
      ...(Object.keys(attributes).length ? { Attributes: attributes } : {}),
      ...(wanted.length
        ? { MD5OfMessageAttributes: md5OfAttributes(messageAttributes), MessageAttributes: messageAttributes }
        : {}),
    };
  }

  /** Drops messages past the retention period. */
  private expire(q: Queue): void {
    const limit = this.deps.clock.now() - q.settings.MessageRetentionPeriod * 1000;
    if (q.messages.some((m) => m.enqueuedAt <= limit))
      q.messages = q.messages.filter((m) => m.enqueuedAt > limit);
  }

  private wake(q: Queue): void {
    for (const w of [...q.waiters]) w();
    this.rearm(q);
  }

  /** While someone waits, a timer wakes them when the next invisible message comes back. */
  private rearm(q: Queue): void {
    const now = this.deps.clock.now();
    const next = q.waiters.size
      ? Math.min(...q.messages.filter((m) => m.visibleAt > now).map((m) => m.visibleAt))
      : Infinity;
    if (q.timerAt === next) return;
    if (q.timer !== undefined) this.deps.clock.clearTimeout(q.timer);
    q.timer = undefined;
    q.timerAt = undefined;
    if (!Number.isFinite(next)) return;
    q.timerAt = next;
    q.timer = this.deps.clock.setTimeout(() => {
      q.timer = undefined;
      q.timerAt = undefined;
      this.wake(q);
    }, next - now);
  }

  private queue(url: string | undefined): Queue {
    if (!url) throw missingParameter('QueueUrl');
    // A URL (any host: the SDK's, AWS's own form) ends with /<account>/<name>; a bare name is accepted too.
    const name = url.replace(/\/+$/, '').split('/').pop()!;
    const q = this.queues.get(name);
    if (!q) throw noSuchQueue();
    return q;
  }

  private byArn(arn: string): Queue | undefined {
    const m = /^arn:aws[a-z-]*:sqs:([^:]+):(\d{12}):(.+)$/.exec(arn);
    if (!m || m[1] !== this.deps.region || m[2] !== this.deps.accountId) return undefined;
    return this.queues.get(m[3]);
  }
}

/** A receipt handle names the queue, the message and this receive (opaque to clients, as on AWS). */
function receiptHandle(queue: string, messageId: string): string {
  return Buffer.from(JSON.stringify({ q: queue, m: messageId, r: randomUUID() })).toString('base64');
}

function parseHandle(handle: string | undefined, queue: string): { messageId: string } {
  if (!handle) throw missingParameter('ReceiptHandle');
  let parsed: { q?: unknown; m?: unknown };
  try {
    parsed = JSON.parse(Buffer.from(handle, 'base64').toString('utf8')) as typeof parsed;
  } catch {
    parsed = {};
  }
  if (typeof parsed.m !== 'string' || parsed.q !== queue)
    throw sqsError(
      'ReceiptHandleIsInvalid',
      `The input receipt handle "${handle}" is not a valid receipt handle.`,
    );
  return { messageId: parsed.m };
}

/** SQS counts each attribute's name, type and value towards the message size. */
function attributesSize(attributes: Record<string, MessageAttributeValue> | undefined): number {
  let size = 0;
  for (const [name, a] of Object.entries(attributes ?? {}))
    size +=
      Buffer.byteLength(name) +
      Buffer.byteLength(a.DataType ?? '') +
      (a.BinaryValue !== undefined
        ? Buffer.from(a.BinaryValue, 'base64').length
        : Buffer.byteLength(a.StringValue ?? ''));
  return size;
}

function checkAttribute(name: string, a: MessageAttributeValue): void {
  const type = a?.DataType;
  if (!type)
    throw sqsError(
      'InvalidParameterValue',
      `The message attribute '${name}' must contain a non-empty attribute type.`,
    );
  if (!/^(String|Number|Binary)(\..+)?$/.test(type))
    throw sqsError(
      'InvalidParameterValue',
      `The type of message (user) attribute '${name}' is invalid. You must use only the following supported type prefixes: Binary, Number, String.`,
    );
  const binary = type.startsWith('Binary');
  if (binary ? a.BinaryValue === undefined : a.StringValue === undefined)
    throw sqsError(
      'InvalidParameterValue',
      `The message attribute '${name}' with type '${type.split('.')[0]}' must use field '${binary ? 'Binary' : 'String'}'.`,
    );
  if (type.startsWith('Number') && !Number.isFinite(Number(a.StringValue)))
    throw sqsError(
      'InvalidParameterValue',
      `Can't cast the value of message (user) attribute '${name}' to a number.`,
    );
}

function summarizeBody(body: string): string {
  return body.length > 1024 ? `${body.slice(0, 1024)}…` : body;
}
