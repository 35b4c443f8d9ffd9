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
    // TODO 5: these two do not depend on each other: run them side by side. Start at a Parallel state Respond
    // whose Branches are two small state machines, { StartAt: 'RecordStats', States: { RecordStats: ... } } and
    // the same for AlertBoard, each with End: true; ResultPath null (keep the input), then Next: 'Responded'.
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
        ResultPath: null,
        Next: 'AlertBoard',
      },
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
        ResultPath: null,
        Next: 'Responded',
      },
      Responded: { Type: 'Succeed' },
    },
  },
};
