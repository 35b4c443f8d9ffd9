/**
 * The guide's own view of the curriculum: the six sessions it always has a page for, with a
 * title and a line to show until the session's session.json exists (session.json wins when it
 * does), and the concept pages a session's `concepts` ids link to.
 */
export interface PlannedSession {
  id: string;
  number: number;
  title: string;
  summary: string;
}

export const PLANNED_SESSIONS: PlannedSession[] = [
  { id: 'session-1', number: 1, title: 'Your first Lambda and table', summary: 'Declare a DynamoDB table and write a Lambda function that puts a new virus into it.' },
  { id: 'session-2', number: 2, title: 'An HTTP API for the board', summary: 'Put three functions behind an HTTP API so that the board can list, spawn and kill viruses.' },
  { id: 'session-3', number: 3, title: 'The scheduled Lambda', summary: 'Let EventBridge run createVirus every minute, and key each virus by the request that made it.' },
  { id: 'session-4', number: 4, title: 'Fan-out on EventBridge and a Step Function', summary: 'Every minute, three events on a custom bus each start a state machine that waits a random time, then creates a virus.' },
  { id: 'session-5', number: 5, title: 'A dynamic scheduler', summary: 'Start, tick and stop schedules with events; Step Functions waits until a timestamp.' },
  { id: 'session-6', number: 6, title: 'Step Functions patterns', summary: 'Chaining, Choice, Retry/Catch, Parallel, Map and a human in the loop.' },
];

/**
 * Concept id (as used in session.json `concepts`) → label and guide page. Ids not listed are
 * shown as a plain label, with dashes turned into spaces.
 */
export const CONCEPT_PAGES: Record<string, { label: string; link?: string }> = {
  lambda: { label: 'Lambda', link: '/concepts/lambda' },
  'lambda-context': { label: 'Lambda context', link: '/concepts/lambda#handlers' },
  'environment-variables': { label: 'environment variables', link: '/concepts/lambda#functions' },
  iam: { label: 'IAM', link: '/concepts/lambda#permissions-the-execution-role' },
  'http-api': { label: 'HTTP API', link: '/concepts/lambda#behind-an-http-api' },
  'api-gateway': { label: 'API Gateway', link: '/concepts/lambda#behind-an-http-api' },
  cors: { label: 'CORS', link: '/concepts/lambda#behind-an-http-api' },
  cloudformation: { label: 'CloudFormation', link: '/reference/local-cloud#cloudformation-the-stack-loader' },
  'aws-sdk-v3': { label: 'AWS SDK v3', link: '/concepts/dynamodb#reading-and-writing' },
  dynamodb: { label: 'DynamoDB', link: '/concepts/dynamodb' },
  'conditional-writes': { label: 'conditional writes', link: '/concepts/dynamodb#conditions' },
  eventbridge: { label: 'EventBridge', link: '/concepts/eventbridge' },
  'custom-event-bus': { label: 'custom event bus', link: '/concepts/eventbridge#buses' },
  putevents: { label: 'PutEvents', link: '/concepts/eventbridge#putting-events' },
  'event-pattern': { label: 'event patterns', link: '/concepts/eventbridge#event-patterns' },
  'fan-out': { label: 'fan-out', link: '/concepts/eventbridge' },
  idempotency: { label: 'idempotency', link: '/concepts/eventbridge#delivery-at-least-once' },
  schedule: { label: 'schedules', link: '/concepts/schedules' },
  schedules: { label: 'schedules', link: '/concepts/schedules' },
  'rate-expression': { label: 'rate()', link: '/concepts/schedules#rate' },
  'cron-expression': { label: 'cron()', link: '/concepts/schedules#cron' },
  'step-functions': { label: 'Step Functions', link: '/concepts/step-functions' },
  asl: { label: 'Amazon States Language', link: '/concepts/step-functions#a-state-machine' },
  'wait-state': { label: 'Wait state', link: '/concepts/step-functions#wait' },
  'virtual-clock': { label: 'virtual clock', link: '/concepts/virtual-clock' },
};
