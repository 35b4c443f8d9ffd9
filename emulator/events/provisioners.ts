/**
 * AWS::Events::EventBus and AWS::Events::Rule from a template, as CloudFormation would make
 * them. A rule's pattern, schedule, state, description and targets change in place (its
 * schedule keeps its rhythm when only the targets change); a new name or bus replaces it.
 * A deleted rule stops at once: no schedule fires, no event matches it any more.
 */
import { changed, resourceError, type ResourceProvider } from '../stack/provider.ts';
import type { EventBridgeService, Target } from './service.ts';

const BUS = 'AWS::Events::EventBus';
const RULE = 'AWS::Events::Rule';
const RULE_FIELDS = ['EventPattern', 'ScheduleExpression', 'State', 'Description'] as const;

export function eventsProviders(deps: { events: EventBridgeService }): Record<string, ResourceProvider> {
  const { events } = deps;
  const busOf = (p: Record<string, any>) => (typeof p.EventBusName === 'string' ? p.EventBusName : undefined);
  const putRule = (logicalId: string, name: string, p: Record<string, any>) => {
    try {
      return events.putRule({
        Name: name,
        EventBusName: busOf(p),
        EventPattern: p.EventPattern,
        ScheduleExpression: p.ScheduleExpression,
        State: p.State,
        Description: p.Description,
      });
    } catch (err) {
      // Same words as CloudFormation's failure event, with the resource named.
      throw resourceError(logicalId, RULE, err);
    }
  };
  const setTargets = (logicalId: string, name: string, p: Record<string, any>) => {
    try {
      events.setTargets(name, busOf(p), (p.Targets ?? []) as Target[]);
    } catch (err) {
      throw resourceError(logicalId, RULE, err);
    }
  };
  return {
    [BUS]: {
      create(logicalId, p) {
        try {
          const bus = events.createBus(String(p.Name));
          return { ref: bus.name, attributes: { Arn: bus.arn, Name: bus.name } };
        } catch (err) {
          throw resourceError(logicalId, BUS, err);
        }
      },
      // Name is the bus's only property here; a new name is a new bus.
      update: () => 'replace',
      delete: (resource) => events.deleteBus(resource.physicalId),
    },

    [RULE]: {
      create(logicalId, p, ctx) {
        const name = p.Name ?? ctx.generatedName(logicalId, 64);
        const { RuleArn } = putRule(logicalId, name, p);
        try {
          setTargets(logicalId, name, p);
        } catch (err) {
          events.deleteRule(name, busOf(p));
          throw err;
        }
        return { ref: name, attributes: { Arn: RuleArn } };
      },
      update(logicalId, p, previous) {
        const before = previous.properties;
        if (p.Name !== before.Name || busOf(p) !== busOf(before)) return 'replace';
        const name = previous.physicalId;
        if (RULE_FIELDS.some((k) => changed(p[k], before[k]))) putRule(logicalId, name, p);
        setTargets(logicalId, name, p);
        return { ref: name, attributes: previous.attributes };
      },
      delete: (resource) => events.deleteRule(resource.physicalId, busOf(resource.properties)),
    },
  };
}
