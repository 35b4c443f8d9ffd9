import type { Provisioner } from '../stack/deploy.ts';
import type { EventBridgeService, Target } from './service.ts';

/** AWS::Events::EventBus and AWS::Events::Rule from a template, as CloudFormation would make them. */
export function eventsProvisioners(events: EventBridgeService): Record<string, Provisioner> {
  return {
    'AWS::Events::EventBus': (_logicalId, p) => {
      const bus = events.createBus(String(p.Name));
      return { ref: bus.name, attributes: { Arn: bus.arn, Name: bus.name } };
    },
    'AWS::Events::Rule': (logicalId, p, ctx) => {
      const name = p.Name ?? ctx.generatedName(logicalId, 64);
      const bus = typeof p.EventBusName === 'string' ? p.EventBusName : undefined;
      let RuleArn: string;
      try {
        ({ RuleArn } = events.putRule({ Name: name, EventBusName: bus, EventPattern: p.EventPattern, ScheduleExpression: p.ScheduleExpression, State: p.State, Description: p.Description }));
      } catch (err) {
        // Same words as CloudFormation's failure event, with the resource named.
        throw new Error(`Resource ${logicalId} (AWS::Events::Rule): ${(err as Error).message}`);
      }
      events.putTargets(name, bus, (p.Targets ?? []) as Target[]);
      return { ref: name, attributes: { Arn: RuleArn } };
    },
  };
}
