/**
 * The virus-creation state machine, for the serverless-step-functions plugin: every
 * VIRUS_CREATION_REQUESTED event starts an execution that waits a random time, then creates a virus.
 */
export interface StateMachine {
  id?: string;
  name: string;
  events: unknown[];
  definition: {
    Comment?: string;
    StartAt: string;
    States: Record<string, { Type: string; [field: string]: unknown }>;
  };
}

export const virusCreation: StateMachine = {
  // The logical id in the template (without it, the plugin derives one from the name, stage included).
  id: 'VirusCreationStateMachine',
  name: 'dojo-serverless-${sls:stage}-virusCreation',
  // TODO 7: start an execution for every event from source 'dojo-serverless' with detail-type 'VIRUS_CREATION_REQUESTED'
  // on our bus: one `eventBridge` event with eventBusName { Ref: 'DojoEventBus' } and that pattern as its `event`.
  events: [],
  definition: {
    Comment: 'Wait a random time, then create a virus',
    // TODO 6: make it three states: start at ChooseWaitTime, go on to WaitXSeconds, then to CreateVirus (sketched below).
    StartAt: 'CreateVirus',
    States: {
      // ChooseWaitTime: a Task whose Resource is the chooseWaitTime Lambda ({ 'Fn::GetAtt': ['chooseWaitTime', 'Arn'] }),
      //   Next: WaitXSeconds.
      // WaitXSeconds: a Wait whose SecondsPath reads the input's numberOfSeconds ('$.numberOfSeconds'),
      //   Next: CreateVirus.
      CreateVirus: {
        Type: 'Task',
        Resource: { 'Fn::GetAtt': ['createVirus', 'Arn'] },
        End: true,
      },
    },
  },
};
