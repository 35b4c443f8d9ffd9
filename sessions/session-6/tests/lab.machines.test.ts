import { describe, it, expect } from 'vitest';
import { labAlert } from '../state-machines/lab/alert.ts';
import { labAnalysis } from '../state-machines/lab/analysis.ts';
import { labCulture } from '../state-machines/lab/culture.ts';
import { labResponse } from '../state-machines/lab/response.ts';
import { labWave } from '../state-machines/lab/wave.ts';

describe('labAnalysis: chaining and branching', () => {
  const { StartAt, States } = labAnalysis.definition;

  it('chains SequenceVirus → MeasureStrength → HowStrong, passing each output on whole', () => {
    expect(StartAt).toBe('SequenceVirus');
    expect(States.SequenceVirus).toEqual({ Type: 'Task', Resource: { 'Fn::GetAtt': ['sequenceVirus', 'Arn'] }, Next: 'MeasureStrength' });
    expect(States.MeasureStrength).toEqual({ Type: 'Task', Resource: { 'Fn::GetAtt': ['measureStrength', 'Arn'] }, Next: 'HowStrong' });
  });

  it('branches on the strength, strongest first, with a Default', () => {
    expect(States.HowStrong).toEqual({
      Type: 'Choice',
      Choices: [
        { Variable: '$.strength', NumericGreaterThanEquals: 70, Next: 'Quarantine' },
        { Variable: '$.strength', NumericGreaterThanEquals: 40, Next: 'Treat' },
      ],
      Default: 'Release',
    });
    for (const verdict of ['Quarantine', 'Treat', 'Release']) expect(States[verdict]).toMatchObject({ Type: 'Pass', ResultPath: '$.verdict', End: true });
  });
});

describe('labCulture: Retry, Catch and Fail', () => {
  const { States } = labCulture.definition;

  it('retries GrowCulture on CultureContaminated: 3 more times, after 2, 4 and 8 seconds', () => {
    expect(States.GrowCulture?.Retry).toEqual([{ ErrorEquals: ['CultureContaminated'], IntervalSeconds: 2, MaxAttempts: 3, BackoffRate: 2 }]);
  });

  it('catches what is left, keeping the error beside the input', () => {
    expect(States.GrowCulture?.Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'HasFrozenSample' }]);
    expect(States.HasFrozenSample).toMatchObject({ Type: 'Choice', Default: 'CultureFailed' });
    expect(States.UseFrozenSample).toMatchObject({ Type: 'Pass', Next: 'Incubate' });
  });

  it('fails with an Error and a Cause of its own when there is no frozen sample', () => {
    expect(States.CultureFailed).toEqual({ Type: 'Fail', Error: 'Lab.CultureFailed', Cause: expect.any(String) });
  });

  it('incubates a minute, then succeeds', () => {
    expect(States.Incubate).toEqual({ Type: 'Wait', Seconds: 60, Next: 'CultureReady' });
    expect(States.CultureReady).toEqual({ Type: 'Succeed' });
  });
});

describe('labResponse: Parallel', () => {
  const { StartAt, States } = labResponse.definition;

  it('records the stats and alerts the board in two branches of one Parallel state', () => {
    expect(StartAt).toBe('Respond');
    expect(States.Respond).toMatchObject({ Type: 'Parallel', ResultPath: null, Next: 'Responded' });
    const branches = States.Respond?.Branches as Array<{ StartAt: string; States: Record<string, { Resource: string }> }>;
    expect(branches.map((b) => b.StartAt)).toEqual(['RecordStats', 'AlertBoard']);
    expect(branches[0]!.States.RecordStats!.Resource).toBe('arn:aws:states:::dynamodb:updateItem');
    expect(branches[1]!.States.AlertBoard!.Resource).toBe('arn:aws:states:::events:putEvents');
  });
});

describe('labWave: Map', () => {
  const { States } = labWave.definition;

  it('plans one slot per virus with States.ArrayRange', () => {
    expect(States.PlanWave).toMatchObject({ Type: 'Pass', Parameters: { 'slots.$': 'States.ArrayRange(1, $.size, 1)' }, Next: 'SpawnWave' });
  });

  it('spawns one virus per slot, at most 3 at a time', () => {
    expect(States.SpawnWave).toMatchObject({ Type: 'Map', ItemsPath: '$.slots', MaxConcurrency: 3, ResultPath: '$.viruses' });
    expect(States.SpawnWave?.ItemProcessor).toMatchObject({ StartAt: 'CreateVirus', States: { CreateVirus: { Type: 'Task', Resource: { 'Fn::GetAtt': ['createVirus', 'Arn'] }, End: true } } });
  });
});

describe('labAlert: a human in the loop, in JSONata', () => {
  const { QueryLanguage, States } = labAlert.definition;

  it('is written in JSONata', () => {
    expect(QueryLanguage).toBe('JSONata');
  });

  it('waits for its task token, handed to requestApproval, for an hour at most', () => {
    expect(States.AskForApproval).toMatchObject({
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Arguments: { FunctionName: { 'Fn::GetAtt': ['requestApproval', 'Arn'] }, Payload: { token: '{% $states.context.Task.Token %}' } },
      TimeoutSeconds: 3600,
    });
  });

  it('keeps the virus in variables, for after the answer has replaced the input', () => {
    expect(States.AskForApproval?.Assign).toEqual({ virusId: '{% $states.input.virusId %}', strength: '{% $states.input.strength %}' });
  });

  it('stands down when rejected or when nobody answers', () => {
    expect(States.AskForApproval?.Catch).toEqual([{ ErrorEquals: ['Rejected', 'States.Timeout'], Next: 'StandDown' }]);
  });

  it('declares the pandemic only when approved, naming the virus from the variables', () => {
    expect(States.IsApproved).toMatchObject({ Type: 'Choice', Default: 'StandDown' });
    expect(States.IsApproved?.Choices).toEqual([{ Condition: '{% $states.input.approved = true %}', Next: 'DeclarePandemic' }]);
    expect(States.DeclarePandemic).toMatchObject({ Type: 'Task', Resource: 'arn:aws:states:::events:putEvents', End: true });
    expect(JSON.stringify(States.DeclarePandemic?.Arguments)).toContain('"Detail":{"virusId":"{% $virusId %}","strength":"{% $strength %}"}');
  });
});
