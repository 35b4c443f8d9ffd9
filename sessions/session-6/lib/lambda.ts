/**
 * Just enough of Lambda's types for our handlers (the full ones live in @types/aws-lambda).
 */

/** What EventBridge sends a function on a schedule (`rate(...)` or `cron(...)`). */
export interface ScheduledEvent {
  id?: string;
  'detail-type'?: string; // 'Scheduled Event'
  source?: string; // 'aws.events'
  account?: string;
  /** When the rule fired, ISO 8601 in UTC. */
  time?: string;
  region?: string;
  /** The ARN of the rule that fired. */
  resources?: string[];
  detail?: Record<string, unknown>;
}

/** The second argument of every handler: facts about this invocation. */
export interface LambdaContext {
  /**
   * The id of this invocation, a UUID. Lambda keeps it when it retries a failed asynchronous
   * invocation, so an item keyed by it is written once however many times the function runs.
   */
  awsRequestId: string;
  functionName?: string;
}

/** What a rule on our bus sends a function: the event put with PutEvents, its Detail parsed. */
export interface BusEvent<Detail> {
  id?: string;
  'detail-type'?: string;
  source?: string;
  /** When the event was put, ISO 8601 in UTC, to the second. */
  time?: string;
  detail: Detail;
}
