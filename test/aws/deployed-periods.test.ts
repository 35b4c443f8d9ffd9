import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { prepareSnapshot, WRAPPER } from '../../checker/aws/snapshot.ts';
import { loadSession } from '../../checker/core/course.ts';
import { deployedPeriods, withDeployedPeriods } from '../../checker/core/deployed-periods.ts';
import type { Template } from '../../emulator/index.ts';
import { copyWithEdits } from '../../checker/core/service-copy.ts';

/**
 * The periods an `--aws` check deploys shorter (session.json's check.periods with `deploys`):
 * osls loads the wrapper config written into the snapshot, and that config is what AWS gets.
 * Here the wrapper is loaded the way osls loads it (node's require) and the state machine it
 * hands to osls is read back.
 */
const periods = deployedPeriods(loadSession(resolve('.'), 'session-6')!.check.periods);
const scratch = resolve('.dojo/tmp/deployed-periods');

function deployedTimeout(dir: string, name: string): unknown {
  const snapshot = prepareSnapshot(dir, join(scratch, name), 'jane', { periods });
  const script = `const c = require(${JSON.stringify(join(snapshot, WRAPPER))}); console.log(JSON.stringify(c.stepFunctions.stateMachines.labAlert.definition.States.AskForApproval.TimeoutSeconds));`;
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: snapshot, encoding: 'utf8' }));
}

describe('the AWS configuration of session 6, deployed', () => {
  mkdirSync(scratch, { recursive: true });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('is AskForApproval with TimeoutSeconds 300 instead of 3600', () => {
    expect(periods).toEqual([{ state: 'AskForApproval', field: 'TimeoutSeconds', from: 3600, to: 300 }]);
  });

  it("sets it in the config osls deploys, leaving the learner's file as written", () => {
    expect(deployedTimeout(resolve('solutions/session-6'), 'solution')).toBe(300);
  });

  it('leaves a TimeoutSeconds other than the one asked for as written, so the check still sees it', () => {
    const copy = copyWithEdits(resolve('solutions/session-6'), [
      {
        file: 'state-machines/lab/alert.ts',
        find: 'TimeoutSeconds: 3600,',
        replace: 'TimeoutSeconds: 1800,',
      },
    ]);
    try {
      expect(deployedTimeout(copy.dir, 'other')).toBe(1800);
    } finally {
      copy.remove();
    }
  });

  it('sets it in a packaged template the same way (the local cloud running the AWS configuration)', () => {
    const machine = (timeout: number) => ({
      Type: 'AWS::StepFunctions::StateMachine',
      Properties: {
        DefinitionString: {
          'Fn::Sub': [
            JSON.stringify({
              StartAt: 'AskForApproval',
              States: { AskForApproval: { Type: 'Task', TimeoutSeconds: timeout, End: true } },
            }),
            { x: 1 },
          ],
        },
      },
    });
    const template = { Resources: { Asked: machine(3600), Other: machine(1800) } } as unknown as Template;
    const out = withDeployedPeriods(template, loadSession(resolve('.'), 'session-6')!.check.periods);
    const timeout = (id: string) =>
      JSON.parse((out.Resources[id].Properties!.DefinitionString as { 'Fn::Sub': [string] })['Fn::Sub'][0])
        .States.AskForApproval.TimeoutSeconds;
    expect(timeout('Asked')).toBe(300);
    expect(timeout('Other')).toBe(1800);
    // The template given is left alone: the static checks read it.
    expect(
      JSON.parse(
        (template.Resources.Asked.Properties!.DefinitionString as { 'Fn::Sub': [string] })['Fn::Sub'][0],
      ).States.AskForApproval.TimeoutSeconds,
    ).toBe(3600);
  });
});
