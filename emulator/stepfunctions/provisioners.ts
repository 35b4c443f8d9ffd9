/**
 * AWS::StepFunctions::StateMachine from a template. A new definition or role is
 * UpdateStateMachine: the next execution runs it, running ones finish on the definition
 * they started with. A new name or type replaces the state machine.
 */
import { customNameReplacement, resourceError, type ResourceProvider } from '../stack/provider.ts';
import type { StepFunctionsService } from './service.ts';

const TYPE = 'AWS::StepFunctions::StateMachine';

export function stepfunctionsProviders(deps: {
  sfn: StepFunctionsService;
}): Record<string, ResourceProvider> {
  const { sfn } = deps;
  const definitionOf = (p: Record<string, any>) => p.DefinitionString ?? p.Definition;
  return {
    [TYPE]: {
      create(logicalId, p, ctx) {
        const name = p.StateMachineName ?? ctx.generatedName(logicalId, 80);
        try {
          const { stateMachineArn } = sfn.createStateMachine({
            name,
            definition: definitionOf(p),
            roleArn: p.RoleArn,
            type: p.StateMachineType,
          });
          return { ref: stateMachineArn, attributes: { Arn: stateMachineArn, Name: name } };
        } catch (err) {
          throw resourceError(logicalId, TYPE, err);
        }
      },
      update(logicalId, p, previous) {
        const before = previous.properties;
        if (p.StateMachineName !== before.StateMachineName) return 'replace';
        if ((p.StateMachineType ?? 'STANDARD') !== (before.StateMachineType ?? 'STANDARD')) {
          if (p.StateMachineName !== undefined)
            throw customNameReplacement(logicalId, TYPE, p.StateMachineName);
          return 'replace';
        }
        try {
          sfn.updateStateMachine(previous.physicalId, { definition: definitionOf(p), roleArn: p.RoleArn });
        } catch (err) {
          throw resourceError(logicalId, TYPE, err);
        }
        return { ref: previous.physicalId, attributes: previous.attributes };
      },
      delete: (resource) => sfn.deleteStateMachine(resource.physicalId),
    },
  };
}
