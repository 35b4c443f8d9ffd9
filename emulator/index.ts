/**
 * The local cloud's public surface: what the checker, the CLI and the benchmarks use. Code
 * outside emulator/ imports from here, never a module inside it, so the emulator's insides
 * can move without breaking its users. `index.test.ts` pins the list of exports.
 */
export {
  LocalCloud,
  DEFAULT_ACCOUNT_ID,
  DEFAULT_REGION,
  stackNameOf,
  type LocalCloudOptions,
} from './cloud.ts';
export type { ClockState, Speed } from './core/clock.ts';
export {
  isKind,
  type Trace,
  type TraceEntry,
  type TraceFields,
  type TraceInput,
  type TraceKind,
} from './core/trace.ts';
export {
  configHash,
  PACKAGE_LOCK,
  packageOutputDir,
  packageService,
  PackageError,
  runOsls,
  type PackageResult,
  type Template,
} from './stack/package.ts';
export { isBuildOutput } from './core/build-output.ts';
export { mulberry32 } from './core/random.ts';
export {
  realClearInterval,
  realClearTimeout,
  realNow,
  realSetInterval,
  realSetTimeout,
  realSleep,
} from './core/real-time.ts';
export { inspectLock, staleReason, type LockInfo } from './stack/folder-lock.ts';
export { currentOwner, describeOwner, ownerState, type Owner } from './core/owner.ts';
export { describeChanges, StackDeployError } from './stack/deploy.ts';
export type { DeployedResource, DeployedStack, StackChange } from './stack/provider.ts';
export { SandboxPool, type InvokeResult, type LambdaError } from './lambda/index.ts';
export { matchesPattern, nextFireTime, parseEventPattern, parseScheduleExpression } from './events/index.ts';
export { benchWaitingExecutions } from './stepfunctions/bench.ts';
// For reading a template as CloudFormation would (the --aws permissions worked out from it).
export { resolveValue, type StackContext } from './cloudformation/intrinsics.ts';
