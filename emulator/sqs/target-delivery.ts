/**
 * An SQS queue as the target of another service: an EventBridge rule's target, an EventBridge
 * Scheduler schedule's target. Both send the target's input as the message body, with the
 * target's `SqsParameters.MessageGroupId` for a FIFO queue, and report SQS's refusal (a queue
 * that is gone, a FIFO queue without a group) as a failed delivery of their own; each traces
 * that failure in its own words, so the delivery takes their `onError`.
 */

/** SendMessage to the queue of that ARN from inside the local cloud; throws SQS's error. */
export type SendToQueue = (
  queueArn: string,
  message: { body: string; groupId?: string; attributes?: Record<string, string> },
  opts: { cause?: number },
) => void;

export interface QueueTarget {
  Arn: string;
  SqsParameters?: { MessageGroupId?: string };
}

/** Sends `body` to the target's queue; a refusal goes to `onError` rather than up the caller's stack. */
export function deliverToQueue(
  send: SendToQueue,
  target: QueueTarget,
  body: string,
  cause: number,
  onError: (err: unknown) => void,
): void {
  try {
    send(target.Arn, { body, groupId: target.SqsParameters?.MessageGroupId }, { cause });
  } catch (err) {
    onError(err);
  }
}
