import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { approvalTableName, ddb } from '../../lib/dynamodb.ts';

export interface ApprovalRequest {
  /** The task token of the waiting AskForApproval state ($states.context.Task.Token). */
  token?: string;
  virusId: string;
  strength?: number;
}

/**
 * Called by the AskForApproval state (`.waitForTaskToken`): keeps the task token where the
 * approver finds it, by virus id, and returns. The execution goes on waiting until someone
 * sends the token back with SendTaskSuccess or SendTaskFailure.
 */
export const main = async (request: ApprovalRequest): Promise<{ waiting: string }> => {
  if (!request.token) {
    throw new Error('No task token in the request: give AskForApproval the Payload field token: "{% $states.context.Task.Token %}".');
  }
  await ddb.send(
    new PutCommand({
      TableName: approvalTableName(),
      Item: { id: request.virusId, token: request.token, strength: request.strength, requestedAt: new Date().toISOString() },
    }),
  );
  console.log(`pandemic alert for ${request.virusId}: waiting for approval`);
  return { waiting: request.virusId };
};
