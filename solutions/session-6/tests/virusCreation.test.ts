import { describe, it, expect } from 'vitest';
import { virusCreation } from '../state-machines/virusCreation.ts';
import { EVENT_SOURCE, VIRUS_CREATION_REQUESTED } from '../lib/eventbridge.ts';

const { StartAt, States } = virusCreation.definition;

describe('the virusCreation state machine', () => {
  it('has three states: ChooseWaitTime, WaitXSeconds, CreateVirus', () => {
    expect(Object.keys(States).sort()).toEqual(['ChooseWaitTime', 'CreateVirus', 'WaitXSeconds']);
  });

  it('goes ChooseWaitTime → WaitXSeconds → CreateVirus, and ends there', () => {
    expect(StartAt).toBe('ChooseWaitTime');
    expect(States.ChooseWaitTime).toMatchObject({ Type: 'Task', Next: 'WaitXSeconds' });
    expect(States.WaitXSeconds).toMatchObject({ Type: 'Wait', Next: 'CreateVirus' });
    expect(States.CreateVirus).toMatchObject({ Type: 'Task', End: true });
  });

  it('runs the chooseWaitTime and createVirus Lambdas', () => {
    expect(States.ChooseWaitTime?.Resource).toEqual({ 'Fn::GetAtt': ['chooseWaitTime', 'Arn'] });
    expect(States.CreateVirus?.Resource).toEqual({ 'Fn::GetAtt': ['createVirus', 'Arn'] });
  });

  it('waits the number of seconds ChooseWaitTime chose', () => {
    expect(States.WaitXSeconds?.SecondsPath).toBe('$.numberOfSeconds');
  });

  it('starts on every VIRUS_CREATION_REQUESTED event that spreadVirus puts on our bus', () => {
    expect(virusCreation.events).toEqual([
      {
        eventBridge: {
          eventBusName: { Ref: 'DojoEventBus' },
          event: { source: [EVENT_SOURCE], 'detail-type': [VIRUS_CREATION_REQUESTED] },
        },
      },
    ]);
  });
});
