/**
 * Watching a bus the way AWS allows: nothing records the events on an EventBridge bus, so a
 * check that needs them adds a capture to the learner's stack for its AWS configuration (a
 * rule on the bus for the detail-types it watches, an SQS queue as the rule's target, and the
 * queue policy that lets EventBridge send to it; see
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-sqs-permissions)
 * and reads the queue with ReceiveMessage long polls while it observes.
 *
 * The queue's messages are the events as EventBridge delivers them to an SQS target: the whole
 * event as JSON (`id`, `source`, `detail-type`, `time` to the second, `detail`).
 */
import { ReceiveMessageCommand, type Message } from '@aws-sdk/client-sqs';
import type { Template } from '../../emulator/index.ts';
import type { Deployment, Target } from './target.ts';

/** The logical ids of the capture's resources in the deployed stack. */
export const CAPTURE_QUEUE = 'DojoCheckCaptureQueue';
const CAPTURE_RULE = 'DojoCheckCaptureRule';
const CAPTURE_POLICY = 'DojoCheckCapturePolicy';

/** One long poll: short enough that the watch ends within seconds of the observation. */
const POLL_SECONDS = 5;
/** What EventBridge takes to hand an event to SQS, with room to spare. */
const SETTLE_MS = 2000;
/** Receives that may fail in a row (a dropped connection) before the watch gives up. */
const MAX_FAILURES = 3;

export interface CapturedEvent {
  /** The event's id: SQS delivers at least once, so a message can come twice. */
  id: string;
  /** The event's `time`: when it was put, to the second (epoch ms). */
  time: number;
  source: string;
  detailType: string;
  detail: Record<string, unknown>;
}

type Resources = Template['Resources'];

/**
 * The capture of `detailTypes` on the template's event bus (its first AWS::Events::EventBus,
 * or the default bus when it declares none).
 */
export function busCaptureResources(template: Template, detailTypes: readonly string[]): Resources {
  const bus = Object.entries(template.Resources).find(([, r]) => r.Type === 'AWS::Events::EventBus')?.[0];
  const queueArn = { 'Fn::GetAtt': [CAPTURE_QUEUE, 'Arn'] };
  return {
    [CAPTURE_QUEUE]: {
      Type: 'AWS::SQS::Queue',
      // Each message is read once and the queue goes with the stack: a received message never
      // needs to come back, so no DeleteMessage call is needed (12 hours is SQS's longest).
      Properties: { VisibilityTimeout: 43_200 },
    },
    [CAPTURE_RULE]: {
      Type: 'AWS::Events::Rule',
      Properties: {
        Description: "The dojo check's capture of the events it watches (removed with the stack).",
        ...(bus ? { EventBusName: { Ref: bus } } : {}),
        EventPattern: { 'detail-type': [...detailTypes] },
        State: 'ENABLED',
        Targets: [{ Id: 'dojo-check-capture', Arn: queueArn }],
      },
    },
    [CAPTURE_POLICY]: {
      Type: 'AWS::SQS::QueuePolicy',
      Properties: {
        Queues: [{ Ref: CAPTURE_QUEUE }],
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Service: 'events.amazonaws.com' },
              Action: 'sqs:SendMessage',
              Resource: queueArn,
              Condition: { ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [CAPTURE_RULE, 'Arn'] } } },
            },
          ],
        },
      },
    },
  };
}

export interface CaptureReader {
  /**
   * Lets the last events arrive, reads the queue to its end, and stops. Rejects when the
   * queue could not be read (its events would be missing from the verdicts).
   */
  close(): Promise<void>;
}

/**
 * Reads the deployment's capture queue until closed, calling `onEvent` once per event put
 * before the close. Undefined when the deployment has no capture queue.
 */
export function readCapture(
  target: Target,
  deployment: Deployment,
  onEvent: (event: CapturedEvent) => void,
): CaptureReader | undefined {
  const queueUrl = deployment.resources.get(CAPTURE_QUEUE)?.physicalId;
  if (!queueUrl) return undefined;
  const sqs = target.clients().sqs;
  const ids = new Set<string>();
  let closedAt = Infinity;
  let closing = false;
  let done = false;
  let failure: Error | undefined;

  const take = (message: Message) => {
    const event = capturedEvent(message);
    if (!event || ids.has(event.id) || event.time > closedAt) return;
    ids.add(event.id);
    onEvent(event);
  };

  const loop = (async () => {
    let failures = 0;
    for (;;) {
      // Only an empty receive that began after the close proves the queue was read to its end.
      const last = closing;
      let messages: Message[];
      try {
        const out = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: queueUrl,
            MaxNumberOfMessages: 10,
            WaitTimeSeconds: POLL_SECONDS,
          }),
        );
        messages = out.Messages ?? [];
        failures = 0;
      } catch (err) {
        if (++failures < MAX_FAILURES) continue;
        failure = new Error(
          `The check could not read the events it captured from the bus (queue ${queueUrl}): ${(err as Error).message}. Your identity needs sqs:ReceiveMessage on the stage's queues (docs/public/dojo-learner-policy.json).`,
        );
        return;
      }
      for (const m of messages) take(m);
      if (last && messages.length === 0) return;
    }
  })().finally(() => {
    done = true;
  });

  return {
    async close() {
      closedAt = target.now();
      await target.run(SETTLE_MS, { quiet: true });
      closing = true;
      // A second at a time, so that on the local cloud the virtual clock moves for the long poll.
      while (!done) await target.run(1000, { quiet: true });
      await loop;
      if (failure) throw failure;
    },
  };
}

/** The event in a message from the capture rule; undefined for anything else. */
function capturedEvent(message: Message): CapturedEvent | undefined {
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(message.Body ?? '');
  } catch {
    return undefined;
  }
  const time = Date.parse(String(body.time));
  if (typeof body.id !== 'string' || Number.isNaN(time)) return undefined;
  return {
    id: body.id,
    time,
    source: String(body.source ?? ''),
    detailType: String(body['detail-type'] ?? ''),
    detail: body.detail && typeof body.detail === 'object' ? (body.detail as Record<string, unknown>) : {},
  };
}
