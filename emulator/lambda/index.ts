/** Lambda in the local cloud: functions in worker-thread sandboxes, their API, AWS::Lambda::Function. */
export {
  LambdaService,
  type Caller,
  type FunctionConfig,
  type InvokeOptions,
  type InvokeResult,
  type LambdaServiceContext,
} from './service.ts';
export type { LambdaError } from './sandbox-protocol.ts';
export { SandboxPool } from './sandbox-pool.ts';
export { lambdaApi, registerEventSourceMappingApi, registerLambdaApi } from './api.ts';
export { handlerSource, lambdaProviders } from './provisioners.ts';
export {
  EventSourceMappings,
  type EventSourceMappingDeps,
  type EventSourceMappingInput,
  type EventSourceMappingView,
} from './event-source-mappings.ts';
