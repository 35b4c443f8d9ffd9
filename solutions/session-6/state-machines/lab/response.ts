import type { StateMachine } from '../virusCreation.ts';

/**
 * Parallel processing: when an outbreak is reported, record it in the lab's stats and alert the
 * board at the same time; the Parallel state ends when both branches have.
 *
 *   input  { virusId, strength }
 */
export const labResponse: StateMachine = {
  id: 'LabResponseStateMachine',
  name: 'dojo-serverless-${sls:stage}-labResponse',
  events: [],
  definition: {
    Comment: 'Record an outbreak and alert the board, both at once',
    StartAt: 'Respond',
    States: {
      Respond: {
        Type: 'Parallel',
        // Each branch gets the same input, the state's own.
        Branches: [
          {
            StartAt: 'RecordStats',
            States: {
              RecordStats: {
                Type: 'Task',
                Resource: 'arn:aws:states:::dynamodb:updateItem',
                Parameters: {
                  TableName: { Ref: 'LabTable' },
                  Key: { id: { S: 'stats' } },
                  UpdateExpression: 'ADD responses :one',
                  ExpressionAttributeValues: { ':one': { N: '1' } },
                },
                End: true,
              },
            },
          },
          {
            StartAt: 'AlertBoard',
            States: {
              AlertBoard: {
                Type: 'Task',
                Resource: 'arn:aws:states:::events:putEvents',
                Parameters: {
                  Entries: [
                    {
                      EventBusName: { Ref: 'DojoEventBus' },
                      Source: 'dojo-serverless',
                      DetailType: 'Lab Alert',
                      Detail: { 'virusId.$': '$.virusId', 'strength.$': '$.strength' },
                    },
                  ],
                },
                End: true,
              },
            },
          },
        ],
        // The branches' results (an array of two) are not needed: keep the input.
        ResultPath: null,
        Next: 'Responded',
      },
      Responded: { Type: 'Succeed' },
    },
  },
};
