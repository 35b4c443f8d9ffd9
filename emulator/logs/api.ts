/**
 * CloudWatch Logs' wire API on the gateway: JSON 1.1, `X-Amz-Target: Logs_20140328.<Action>`,
 * as @aws-sdk/client-cloudwatch-logs, the AWS CLI (`aws logs ...`) and `sls logs` send it.
 */
import { AwsError } from '../core/errors.ts';
import type { Gateway } from '../gateway/server.ts';
import type { ApiCatalogue } from '../gateway/api-catalogue.ts';
import type { LogsService } from './service.ts';

export const LOGS_TARGET = 'Logs_20140328';

type Input = Record<string, any>;

/** The actions served, by name: the reference page lists these keys. */
export const logsActions: Record<string, (logs: LogsService, input: Input) => unknown> = {
  CreateLogGroup: (logs, i) => logs.createLogGroup(required(i, 'logGroupName')),
  DeleteLogGroup: (logs, i) => logs.deleteLogGroup(required(i, 'logGroupName')),
  DescribeLogGroups: (logs, i) => {
    const all = logs.describeLogGroups(i.logGroupNamePrefix);
    const from = Number(i.nextToken ?? 0);
    const to = from + (i.limit ?? 50);
    return { logGroups: all.slice(from, to), ...(to < all.length ? { nextToken: String(to) } : {}) };
  },
  PutRetentionPolicy: (logs, i) =>
    logs.putRetentionPolicy(required(i, 'logGroupName'), required(i, 'retentionInDays')),
  DeleteRetentionPolicy: (logs, i) => logs.putRetentionPolicy(required(i, 'logGroupName'), undefined),
  CreateLogStream: (logs, i) => logs.createLogStream(groupOf(i), required(i, 'logStreamName')),
  DescribeLogStreams: (logs, i) => {
    const all = logs.describeLogStreams(groupOf(i), {
      prefix: i.logStreamNamePrefix,
      orderBy: i.orderBy,
      descending: i.descending,
    });
    const from = Number(i.nextToken ?? 0);
    const to = from + (i.limit ?? 50);
    return { logStreams: all.slice(from, to), ...(to < all.length ? { nextToken: String(to) } : {}) };
  },
  PutLogEvents: (logs, i) =>
    logs.putLogEvents(required(i, 'logGroupName'), required(i, 'logStreamName'), required(i, 'logEvents')),
  GetLogEvents: (logs, i) =>
    logs.getLogEvents(groupOf(i), required(i, 'logStreamName'), {
      startTime: i.startTime,
      endTime: i.endTime,
      startFromHead: i.startFromHead,
      limit: i.limit,
      nextToken: i.nextToken,
    }),
  FilterLogEvents: (logs, i) =>
    logs.filterLogEvents(groupOf(i), {
      streamNames: i.logStreamNames,
      streamPrefix: i.logStreamNamePrefix,
      startTime: i.startTime,
      endTime: i.endTime,
      filterPattern: i.filterPattern,
      limit: i.limit,
      nextToken: i.nextToken,
    }),
};

export const logsApi: ApiCatalogue = {
  service: 'CloudWatch Logs',
  protocol: `JSON 1.1 (X-Amz-Target ${LOGS_TARGET}.*)`,
  actions: Object.keys(logsActions),
};

export function registerLogsApi(gateway: Gateway, logs: LogsService): void {
  gateway.jsonService(LOGS_TARGET, async (action, input: Input) => {
    const run = logsActions[action];
    if (!run)
      throw new AwsError(
        'UnknownOperationException',
        `The local cloud's CloudWatch Logs does not serve ${action}; it serves ${Object.keys(logsActions).join(', ')}.`,
      );
    return run(logs, input) ?? {};
  });
}

function required(input: Input, name: string): any {
  if (input[name] === undefined || input[name] === null)
    throw new AwsError('InvalidParameterException', `1 validation error detected: ${name} is required.`);
  return input[name];
}

/** logGroupName, or logGroupIdentifier (a name or an ARN), as the newer actions take. */
function groupOf(input: Input): string {
  const id = input.logGroupName ?? input.logGroupIdentifier;
  if (typeof id !== 'string')
    throw new AwsError('InvalidParameterException', 'Either logGroupName or logGroupIdentifier is required.');
  const arn = /^arn:aws[a-z-]*:logs:[^:]*:\d{12}:log-group:([^:]+)(:\*)?$/.exec(id);
  return arn ? arn[1] : id;
}
