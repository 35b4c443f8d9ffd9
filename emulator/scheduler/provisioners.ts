/**
 * AWS::Scheduler::Schedule and AWS::Scheduler::ScheduleGroup from a template, as
 * CloudFormation makes them (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-scheduler-schedule.html).
 * A schedule's expression, zone, dates, window, state and target change in place
 * (UpdateSchedule); a new name or group replaces it. A group's tags change in place; a new
 * name replaces it, and deleting a group deletes the schedules still in it.
 */
import { changed, resourceError, type ResourceProvider } from '../stack/provider.ts';
import type { ScheduleInput, SchedulerService } from './service.ts';

const SCHEDULE = 'AWS::Scheduler::Schedule';
const GROUP = 'AWS::Scheduler::ScheduleGroup';

export function schedulerProviders(deps: { scheduler: SchedulerService }): Record<string, ResourceProvider> {
  const { scheduler } = deps;
  const input = (name: string, p: Record<string, any>): ScheduleInput =>
    ({ ...p, Name: name }) as ScheduleInput;
  const groupAttributes = (name: string) => {
    const g = scheduler.getScheduleGroup(name);
    return {
      Arn: g.Arn,
      State: g.State,
      CreationDate: g.CreationDate.toISOString(),
      LastModificationDate: g.LastModificationDate.toISOString(),
    };
  };
  return {
    [SCHEDULE]: {
      create(logicalId, p, ctx) {
        const name = p.Name ?? ctx.generatedName(logicalId, 64);
        try {
          const { ScheduleArn } = scheduler.createSchedule(input(name, p));
          return { ref: name, attributes: { Arn: ScheduleArn } };
        } catch (err) {
          throw resourceError(logicalId, SCHEDULE, err);
        }
      },
      update(logicalId, p, previous) {
        const before = previous.properties;
        if (p.Name !== before.Name || (p.GroupName ?? 'default') !== (before.GroupName ?? 'default'))
          return 'replace';
        try {
          scheduler.updateSchedule(input(previous.physicalId, p));
        } catch (err) {
          throw resourceError(logicalId, SCHEDULE, err);
        }
        return { ref: previous.physicalId, attributes: previous.attributes };
      },
      delete(resource) {
        // Already gone: deleted after completion (ActionAfterCompletion DELETE) or with its group.
        if (
          !scheduler
            .all()
            .some(
              (s) =>
                s.Name === resource.physicalId &&
                s.GroupName === (resource.properties.GroupName ?? 'default'),
            )
        )
          return;
        scheduler.deleteSchedule(resource.physicalId, resource.properties.GroupName);
      },
    },

    [GROUP]: {
      create(logicalId, p, ctx) {
        const name = p.Name ?? ctx.generatedName(logicalId, 64);
        try {
          scheduler.createScheduleGroup(name, p.Tags ?? []);
        } catch (err) {
          throw resourceError(logicalId, GROUP, err);
        }
        return { ref: name, attributes: groupAttributes(name) };
      },
      update(logicalId, p, previous) {
        if (p.Name !== previous.properties.Name) return 'replace';
        if (changed(p.Tags, previous.properties.Tags)) {
          const arn = String(previous.attributes.Arn);
          scheduler.untagResource(
            arn,
            scheduler.listTagsForResource(arn).map((t) => t.Key),
          );
          scheduler.tagResource(arn, p.Tags ?? []);
        }
        return { ref: previous.physicalId, attributes: groupAttributes(previous.physicalId) };
      },
      delete(resource) {
        if (!scheduler.listScheduleGroups().some((g) => g.Name === resource.physicalId)) return;
        scheduler.deleteScheduleGroup(resource.physicalId);
      },
    },
  };
}
