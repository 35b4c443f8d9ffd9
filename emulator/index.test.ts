import { describe, expect, expectTypeOf, it } from 'vitest';
import * as emulator from './index.ts';

/**
 * The public surface, pinned (zx's export test idea): adding or removing an export is a
 * decision, made here on purpose, not a side effect of moving code inside emulator/.
 */
describe('emulator/index.ts', () => {
  it('exports exactly the public surface', () => {
    expect(Object.keys(emulator).sort()).toEqual([
      'DEFAULT_ACCOUNT_ID',
      'DEFAULT_REGION',
      'LocalCloud',
      'PACKAGE_LOCK',
      'PackageError',
      'SandboxPool',
      'StackDeployError',
      'benchWaitingExecutions',
      'configHash',
      'currentOwner',
      'describeChanges',
      'describeOwner',
      'inspectLock',
      'isBuildOutput',
      'isKind',
      'matchesPattern',
      'mulberry32',
      'nextFireTime',
      'ownerState',
      'packageOutputDir',
      'packageService',
      'parseEventPattern',
      'parseScheduleExpression',
      'realClearInterval',
      'realClearTimeout',
      'realNow',
      'realSetInterval',
      'realSetTimeout',
      'realSleep',
      'resolveValue',
      'runOsls',
      'stackNameOf',
      'staleReason',
    ]);
  });

  // Types leave no trace at run time: `npm run typecheck` fails here when one goes missing.
  it('exports the types its users name', () => {
    expectTypeOf<emulator.Template>().toHaveProperty('Resources');
    expectTypeOf<emulator.TraceEntry>().toHaveProperty('seq');
    expectTypeOf<emulator.TraceKind>().toExtend<string>();
    expectTypeOf<emulator.TraceFields>().toHaveProperty('invoke.end');
    expectTypeOf<emulator.TraceInput>().toHaveProperty('kind');
    expectTypeOf<emulator.Trace>().toHaveProperty('since');
    expectTypeOf<emulator.Speed>().toExtend<number | 'max' | 'paused'>();
    expectTypeOf<emulator.ClockState>().toHaveProperty('now');
    expectTypeOf<emulator.StackContext>().toHaveProperty('ref');
    expectTypeOf<emulator.DeployedStack>().toHaveProperty('changes');
    expectTypeOf<emulator.DeployedResource>().toHaveProperty('physicalId');
    expectTypeOf<emulator.StackChange>().toHaveProperty('action');
    expectTypeOf<emulator.InvokeResult>().toHaveProperty('requestId');
    expectTypeOf<emulator.LambdaError>().toHaveProperty('errorType');
    expectTypeOf<emulator.LocalCloudOptions>().toHaveProperty('port');
    expectTypeOf<emulator.PackageResult>().toHaveProperty('template');
    expectTypeOf<emulator.LockInfo>().toHaveProperty('owner');
    expectTypeOf<emulator.Owner>().toHaveProperty('pid');
  });
});
