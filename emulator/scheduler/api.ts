/**
 * EventBridge Scheduler's wire API on the gateway: REST-JSON, as @aws-sdk/client-scheduler and
 * the AWS CLI (`aws scheduler ...`) send it:
 *
 *   POST/GET/PUT/DELETE /schedules/{Name}       (?groupName= on GET and DELETE)
 *   GET                 /schedules              (?ScheduleGroup=&NamePrefix=&State=&MaxResults=&NextToken=)
 *   POST/GET/DELETE     /schedule-groups/{Name}
 *   GET                 /schedule-groups        (?NamePrefix=&MaxResults=&NextToken=)
 *   POST/GET/DELETE     /tags/{ResourceArn}     (?TagKeys= on DELETE)
 *
 * Timestamps travel as epoch seconds; errors as `x-amzn-errortype` and `{ message }`.
 */
import { AwsError } from '../core/errors.ts';
import { sendJson, type Gateway, type GatewayRequest } from '../gateway/server.ts';
import type { ScheduleInput, ScheduleView, SchedulerService } from './service.ts';
import type { ApiCatalogue } from '../gateway/api-catalogue.ts';

/** The operations the routing below names (each `action:` in operation()). */
export const schedulerApi: ApiCatalogue = {
  service: 'EventBridge Scheduler',
  protocol: 'REST-JSON (/schedules, /schedule-groups, /tags)',
  actions: [
    'CreateSchedule',
    'CreateScheduleGroup',
    'DeleteSchedule',
    'DeleteScheduleGroup',
    'GetSchedule',
    'GetScheduleGroup',
    'ListScheduleGroups',
    'ListSchedules',
    'ListTagsForResource',
    'TagResource',
    'UntagResource',
    'UpdateSchedule',
  ],
};

export type SchedulerAuthorize = (req: GatewayRequest, action: string, input: unknown) => void;

export function isSchedulerRequest(req: GatewayRequest): boolean {
  return (
    /^\/(schedules|schedule-groups)(\/|$)/.test(req.path) ||
    decodeURIComponent(req.path).startsWith('/tags/arn:aws:scheduler:')
  );
}

/** Registers Scheduler's routes on the gateway. */
export function registerSchedulerApi(
  gateway: Gateway,
  scheduler: SchedulerService,
  authorize: SchedulerAuthorize = () => {},
): void {
  gateway.route(isSchedulerRequest, async (req, res) => {
    const { action, input } = operation(req);
    authorize(req, action, input);
    sendJson(res, 200, wire(handle(scheduler, action, input)));
  });
}

type Operation = { action: string; input: Record<string, any> };

function operation(req: GatewayRequest): Operation {
  const body = req.body.length ? (JSON.parse(req.body.toString('utf8')) as Record<string, any>) : {};
  const q = (name: string) => req.query.get(name) ?? undefined;
  const [, collection, ...rest] = req.path.split('/');
  const name = rest.length ? decodeURIComponent(rest.join('/')) : undefined;
  const route = `${req.method} /${collection}${name === undefined ? '' : '/{}'}`;
  switch (route) {
    case 'POST /schedules/{}':
      return { action: 'CreateSchedule', input: { ...body, Name: name } };
    case 'PUT /schedules/{}':
      return { action: 'UpdateSchedule', input: { ...body, Name: name } };
    case 'GET /schedules/{}':
      return { action: 'GetSchedule', input: { Name: name, GroupName: q('groupName') } };
    case 'DELETE /schedules/{}':
      return { action: 'DeleteSchedule', input: { Name: name, GroupName: q('groupName') } };
    case 'GET /schedules':
      return {
        action: 'ListSchedules',
        input: {
          GroupName: q('ScheduleGroup'),
          NamePrefix: q('NamePrefix'),
          State: q('State'),
          MaxResults: q('MaxResults'),
          NextToken: q('NextToken'),
        },
      };
    case 'POST /schedule-groups/{}':
      return { action: 'CreateScheduleGroup', input: { ...body, Name: name } };
    case 'GET /schedule-groups/{}':
      return { action: 'GetScheduleGroup', input: { Name: name } };
    case 'DELETE /schedule-groups/{}':
      return { action: 'DeleteScheduleGroup', input: { Name: name } };
    case 'GET /schedule-groups':
      return {
        action: 'ListScheduleGroups',
        input: { NamePrefix: q('NamePrefix'), MaxResults: q('MaxResults'), NextToken: q('NextToken') },
      };
    case 'POST /tags/{}':
      return { action: 'TagResource', input: { ...body, ResourceArn: name } };
    case 'DELETE /tags/{}':
      return { action: 'UntagResource', input: { ResourceArn: name, TagKeys: req.query.getAll('TagKeys') } };
    case 'GET /tags/{}':
      return { action: 'ListTagsForResource', input: { ResourceArn: name } };
    default:
      throw new AwsError(
        'UnknownOperationException',
        `EventBridge Scheduler has no operation ${req.method} ${req.path}.`,
        404,
      );
  }
}

function handle(s: SchedulerService, action: string, input: Record<string, any>): unknown {
  switch (action) {
    case 'CreateSchedule':
      return s.createSchedule(input as ScheduleInput);
    case 'UpdateSchedule':
      return s.updateSchedule(input as ScheduleInput);
    case 'GetSchedule':
      return s.getSchedule(input.Name, input.GroupName);
    case 'DeleteSchedule':
      s.deleteSchedule(input.Name, input.GroupName);
      return {};
    case 'ListSchedules': {
      const { items, next } = page(s.listSchedules(input).map(summary), input);
      return { Schedules: items, NextToken: next };
    }
    case 'CreateScheduleGroup':
      return s.createScheduleGroup(input.Name, input.Tags);
    case 'GetScheduleGroup':
      return s.getScheduleGroup(input.Name);
    case 'DeleteScheduleGroup':
      s.deleteScheduleGroup(input.Name);
      return {};
    case 'ListScheduleGroups': {
      const { items, next } = page(s.listScheduleGroups(input.NamePrefix), input);
      return { ScheduleGroups: items, NextToken: next };
    }
    case 'TagResource':
      s.tagResource(input.ResourceArn, input.Tags ?? []);
      return {};
    case 'UntagResource':
      s.untagResource(input.ResourceArn, input.TagKeys ?? []);
      return {};
    case 'ListTagsForResource':
      return { Tags: s.listTagsForResource(input.ResourceArn) };
    default:
      throw new AwsError(
        'UnknownOperationException',
        `The local cloud's EventBridge Scheduler does not support ${action}.`,
        400,
      );
  }
}

function summary(v: ScheduleView) {
  return {
    Arn: v.Arn,
    Name: v.Name,
    GroupName: v.GroupName,
    State: v.State,
    CreationDate: v.CreationDate,
    LastModificationDate: v.LastModificationDate,
    Target: { Arn: v.Target.Arn },
  };
}

/** MaxResults (1 to 100) and an opaque NextToken (the offset of the next item). */
function page<T>(all: T[], input: Record<string, any>): { items: T[]; next?: string } {
  const max = input.MaxResults === undefined ? 100 : Number(input.MaxResults);
  if (!Number.isInteger(max) || max < 1 || max > 100) {
    throw new AwsError(
      'ValidationException',
      `1 validation error detected: Value '${input.MaxResults}' at 'maxResults' failed to satisfy constraint: Member must have value between 1 and 100`,
    );
  }
  const from = input.NextToken ? Number(Buffer.from(String(input.NextToken), 'base64url').toString()) : 0;
  if (!Number.isInteger(from) || from < 0)
    throw new AwsError(
      'ValidationException',
      'The NextToken is not valid: pass the NextToken of the previous answer, unchanged.',
    );
  const items = all.slice(from, from + max);
  return {
    items,
    next: from + max < all.length ? Buffer.from(String(from + max)).toString('base64url') : undefined,
  };
}

/** Dates as epoch seconds, undefined fields left out: the REST-JSON wire form. */
function wire(value: unknown): unknown {
  if (value instanceof Date) return value.getTime() / 1000;
  if (Array.isArray(value)) return value.map(wire);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = wire(v);
    return out;
  }
  return value;
}
