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
    /** JSONPath unless said otherwise (labAlert is written in JSONata). */
    QueryLanguage?: 'JSONPath' | 'JSONata';
    StartAt: string;
    States: Record<string, { Type: string; [field: string]: unknown }>;
  };
}

export const virusCreation: StateMachine = {
  // The logical id in the template (without it, the plugin derives one from the name, stage included).
  id: 'VirusCreationStateMachine',
  name: 'dojo-serverless-${sls:stage}-virusCreation',
  events: [
    {
      // An EventBridge rule on our custom bus: each matching event starts one execution,
      // with the whole event as the execution's input.
      eventBridge: {
        eventBusName: { Ref: 'DojoEventBus' },
        event: {
          source: ['dojo-serverless'],
          'detail-type': ['VIRUS_CREATION_REQUESTED'],
        },
      },
    },
  ],
  definition: {
    Comment: 'Wait a random time, then create a virus',
    StartAt: 'ChooseWaitTime',
    States: {
      ChooseWaitTime: {
        Type: 'Task',
        // The plugin turns the function's name into its ARN.
        Resource: { 'Fn::GetAtt': ['chooseWaitTime', 'Arn'] },
        Next: 'WaitXSeconds',
      },
      WaitXSeconds: {
        Type: 'Wait',
        // The number of seconds comes from the input: ChooseWaitTime's { numberOfSeconds }.
        SecondsPath: '$.numberOfSeconds',
        Next: 'CreateVirus',
      },
      CreateVirus: {
        Type: 'Task',
        Resource: { 'Fn::GetAtt': ['createVirus', 'Arn'] },
        End: true,
      },
    },
  },
};
