/** Step Functions in the local cloud: state machines run on the virtual clock, their API, AWS::StepFunctions::StateMachine. */
export {
  StepFunctionsService,
  type ExecutionDescription,
  type ExecutionStatus,
  type HistoryEvent,
  type PendingTaskToken,
  type StateMachineDescription,
} from './service.ts';
export { registerStepFunctionsApi, stepfunctionsApi } from './api.ts';
export { stepfunctionsProviders } from './provisioners.ts';
