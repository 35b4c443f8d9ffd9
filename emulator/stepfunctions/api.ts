/**
 * The Step Functions JSON protocol (`X-Amz-Target: AWSStepFunctions.<Action>`): request
 * checks, paging, and responses in the wire shape, where dates are epoch seconds (numbers),
 * which the AWS SDK turns into Date objects.
 */
import type { Authorizer } from '../gateway/authorize.ts';
import type { Gateway } from '../gateway/server.ts';
import { apiErrors } from './errors.ts';
import type { ExecutionStatus } from './execution.ts';
import { withoutExecutionData, type HistoryEvent } from './history.ts';
import type { ExecutionDescription, StepFunctionsService } from './service.ts';
import type { TestStateRequest } from './test-state.ts';
import type { ApiCatalogue } from '../gateway/api-catalogue.ts';

/** What the dispatch below serves (a test sends each one through the gateway). */
export const stepfunctionsApi: ApiCatalogue = {
  service: 'Step Functions',
  protocol: 'JSON 1.0 (X-Amz-Target AWSStepFunctions.*)',
  actions: [
    'CreateStateMachine',
    'DeleteStateMachine',
    'DescribeExecution',
    'DescribeMapRun',
    'DescribeStateMachine',
    'DescribeStateMachineForExecution',
    'GetExecutionHistory',
    'ListExecutions',
    'ListMapRuns',
    'ListStateMachines',
    'SendTaskFailure',
    'SendTaskHeartbeat',
    'SendTaskSuccess',
    'StartExecution',
    'StopExecution',
    'TestState',
    'UpdateStateMachine',
    'ValidateStateMachineDefinition',
  ],
};

export async function handleApi(
  sfn: StepFunctionsService,
  action: string,
  input: Record<string, any>,
): Promise<unknown> {
  switch (action) {
    case 'CreateStateMachine': {
      required(input, 'name');
      required(input, 'definition');
      required(input, 'roleArn');
      const out = sfn.createStateMachine({
        name: input.name,
        definition: input.definition,
        roleArn: input.roleArn,
        type: input.type,
      });
      return { stateMachineArn: out.stateMachineArn, creationDate: seconds(out.creationDate) };
    }
    case 'UpdateStateMachine': {
      required(input, 'stateMachineArn');
      if (
        input.definition === undefined &&
        input.roleArn === undefined &&
        input.loggingConfiguration === undefined &&
        input.tracingConfiguration === undefined
      ) {
        throw apiErrors.validation(
          'Either the definition, the role ARN, the LoggingConfiguration, or the TracingConfiguration must be specified',
        );
      }
      const out = sfn.updateStateMachine(input.stateMachineArn, {
        definition: input.definition,
        roleArn: input.roleArn,
      });
      return { updateDate: seconds(out.updateDate) };
    }
    case 'DeleteStateMachine':
      required(input, 'stateMachineArn');
      sfn.deleteStateMachine(input.stateMachineArn);
      return {};
    case 'DescribeStateMachine': {
      required(input, 'stateMachineArn');
      const d = sfn.describeStateMachine(input.stateMachineArn);
      return {
        ...d,
        creationDate: seconds(d.creationDate),
        loggingConfiguration: { level: 'OFF', includeExecutionData: false },
        tracingConfiguration: { enabled: false },
      };
    }
    case 'DescribeStateMachineForExecution': {
      required(input, 'executionArn');
      const e = sfn.describeExecution(input.executionArn);
      const d = sfn.describeStateMachine(e.stateMachineArn);
      return {
        stateMachineArn: d.stateMachineArn,
        name: d.name,
        definition: d.definition,
        roleArn: d.roleArn,
        updateDate: seconds(d.creationDate),
        loggingConfiguration: { level: 'OFF', includeExecutionData: false },
        tracingConfiguration: { enabled: false },
      };
    }
    case 'ListStateMachines': {
      const all = sfn.listStateMachines().map((d) => ({
        stateMachineArn: d.stateMachineArn,
        name: d.name,
        type: d.type,
        creationDate: seconds(d.creationDate),
      }));
      const page = paginate(all, input.maxResults, input.nextToken);
      return { stateMachines: page.items, nextToken: page.nextToken };
    }
    case 'StartExecution': {
      required(input, 'stateMachineArn');
      const out = sfn.startExecution({
        stateMachineArn: input.stateMachineArn,
        name: input.name,
        input: input.input ?? '{}',
      });
      return { executionArn: out.executionArn, startDate: seconds(out.startDate) };
    }
    case 'StopExecution': {
      required(input, 'executionArn');
      const out = sfn.stopExecution(input.executionArn, { error: input.error, cause: input.cause });
      return { stopDate: seconds(out.stopDate) };
    }
    case 'DescribeExecution': {
      required(input, 'executionArn');
      const e = sfn.describeExecution(input.executionArn);
      return {
        ...executionSummary(e),
        input: e.input,
        inputDetails: { included: true },
        output: e.output,
        outputDetails: e.output === undefined ? undefined : { included: true },
        error: e.error,
        cause: e.cause,
        redriveCount: 0,
        redriveStatus: 'NOT_REDRIVABLE',
        redriveStatusReason:
          e.status === 'RUNNING'
            ? 'Execution is RUNNING and cannot be redriven'
            : 'The local cloud does not redrive executions',
      };
    }
    case 'ListExecutions': {
      // AWS: a state machine's executions, or a Distributed Map run's children; one of the two.
      const byMachine = input.stateMachineArn !== undefined && input.stateMachineArn !== null;
      const byMapRun = input.mapRunArn !== undefined && input.mapRunArn !== null;
      if (byMachine === byMapRun)
        throw apiErrors.validation('Must specify exactly one of StateMachineArn and MapRunArn');
      const status = statusFilter(input.statusFilter);
      const executions = byMachine
        ? sfn.listExecutions(input.stateMachineArn, status)
        : sfn.listMapRunExecutions(input.mapRunArn, status);
      const page = paginate(executions.map(executionSummary), input.maxResults, input.nextToken);
      return { executions: page.items, nextToken: page.nextToken };
    }
    case 'ListMapRuns': {
      required(input, 'executionArn');
      const runs = sfn.listMapRuns(input.executionArn).map((r) => ({
        executionArn: r.parent.executionArn,
        mapRunArn: r.arn,
        stateMachineArn: r.stateMachineArn,
        startDate: seconds(new Date(r.startDate)),
        stopDate: r.stopDate === undefined ? undefined : seconds(new Date(r.stopDate)),
      }));
      const page = paginate(runs, input.maxResults, input.nextToken);
      return { mapRuns: page.items, nextToken: page.nextToken };
    }
    case 'DescribeMapRun': {
      required(input, 'mapRunArn');
      const r = sfn.mapRun(input.mapRunArn);
      return {
        mapRunArn: r.arn,
        executionArn: r.parent.executionArn,
        status: r.status,
        startDate: seconds(new Date(r.startDate)),
        stopDate: r.stopDate === undefined ? undefined : seconds(new Date(r.stopDate)),
        maxConcurrency: r.config.maxConcurrency,
        toleratedFailurePercentage: r.config.toleratedFailurePercentage,
        toleratedFailureCount: r.config.toleratedFailureCount,
        itemCounts: r.counts('items'),
        executionCounts: r.counts('executions'),
        redriveCount: 0,
      };
    }
    case 'GetExecutionHistory': {
      required(input, 'executionArn');
      let events = sfn.getExecutionHistory(input.executionArn);
      if (input.reverseOrder === true) events = events.reverse();
      if (input.includeExecutionData === false) events = events.map(withoutExecutionData);
      const page = paginate(events.map(wireEvent), input.maxResults, input.nextToken);
      return { events: page.items, nextToken: page.nextToken };
    }
    case 'SendTaskSuccess':
      required(input, 'taskToken');
      required(input, 'output');
      sfn.sendTaskSuccess(input.taskToken, input.output);
      return {};
    case 'SendTaskFailure':
      required(input, 'taskToken');
      sfn.sendTaskFailure(input.taskToken, { error: input.error, cause: input.cause });
      return {};
    case 'SendTaskHeartbeat':
      required(input, 'taskToken');
      sfn.sendTaskHeartbeat(input.taskToken);
      return {};
    case 'TestState':
      required(input, 'definition');
      return sfn.testState(input as TestStateRequest);
    case 'ValidateStateMachineDefinition': {
      required(input, 'definition');
      const diagnostics = sfn.validateDefinition(input.definition);
      const max = typeof input.maxResults === 'number' && input.maxResults > 0 ? input.maxResults : 100;
      return {
        result: diagnostics.length === 0 ? 'OK' : 'FAIL',
        diagnostics: diagnostics.slice(0, max),
        truncated: diagnostics.length > max,
      };
    }
    default:
      throw apiErrors.unknownOperation(action);
  }
}

const STATUSES: ExecutionStatus[] = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'];

function statusFilter(value: unknown): ExecutionStatus | undefined {
  if (value === undefined || value === null) return undefined;
  if (value === 'PENDING_REDRIVE') return 'PENDING_REDRIVE' as ExecutionStatus; // never matches: nothing is redriven
  if (!STATUSES.includes(value as ExecutionStatus)) {
    throw apiErrors.validation(
      `1 validation error detected: Value '${String(value)}' at 'statusFilter' failed to satisfy constraint: Member must satisfy enum value set: [SUCCEEDED, TIMED_OUT, PENDING_REDRIVE, ABORTED, FAILED, RUNNING]`,
    );
  }
  return value as ExecutionStatus;
}

function executionSummary(e: ExecutionDescription) {
  return {
    executionArn: e.executionArn,
    stateMachineArn: e.stateMachineArn,
    mapRunArn: e.mapRunArn,
    name: e.name,
    status: e.status,
    startDate: seconds(e.startDate),
    stopDate: e.stopDate && seconds(e.stopDate),
  };
}

function wireEvent(event: HistoryEvent): Record<string, unknown> {
  return { ...event, timestamp: event.timestamp / 1000 };
}

function seconds(date: Date): number {
  return date.getTime() / 1000;
}

function required(input: Record<string, unknown>, field: string): void {
  if (input[field] === undefined || input[field] === null) {
    throw apiErrors.validation(
      `1 validation error detected: Value null at '${field}' failed to satisfy constraint: Member must not be null`,
    );
  }
}

/** Pages of at most maxResults (default 100, at most 1000); the token is the next offset. */
function paginate<T>(
  items: T[],
  maxResults: unknown,
  nextToken: unknown,
): { items: T[]; nextToken?: string } {
  let size = 100;
  if (maxResults !== undefined && maxResults !== null) {
    const n = Number(maxResults);
    if (!Number.isInteger(n) || n < 0 || n > 1000) {
      throw apiErrors.validation(
        `1 validation error detected: Value '${String(maxResults)}' at 'maxResults' failed to satisfy constraint: Member must have value ${n < 0 ? 'greater than or equal to 0' : 'less than or equal to 1000'}`,
      );
    }
    if (n > 0) size = n;
  }
  let offset = 0;
  if (nextToken !== undefined && nextToken !== null) {
    const decoded =
      typeof nextToken === 'string'
        ? Number(
            Buffer.from(nextToken, 'base64url')
              .toString('utf8')
              .replace(/^offset:/, ''),
          )
        : NaN;
    if (!Number.isInteger(decoded) || decoded < 0)
      throw apiErrors.invalidToken(`Invalid token: ${String(nextToken)}`);
    offset = decoded;
  }
  const page = items.slice(offset, offset + size);
  const next =
    offset + size < items.length ? Buffer.from(`offset:${offset + size}`).toString('base64url') : undefined;
  return { items: page, nextToken: next };
}

/** Serves the API on the gateway, each call checked against the caller's role. */
export function registerStepFunctionsApi(
  gateway: Gateway,
  sfn: StepFunctionsService,
  authorizer: Authorizer,
): void {
  gateway.jsonService(
    'AWSStepFunctions',
    (action, input, req) => {
      authorizer.authorize(req, 'states', action, input);
      return handleApi(sfn, action, input ?? {});
    },
    'application/x-amz-json-1.0',
  );
}
