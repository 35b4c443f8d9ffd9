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
  // TODO 7: without a token there is nothing to keep: throw an Error that says to pass token: "{% $states.context.Task.Token %}".
  // Otherwise put { id: virusId, token, strength, requestedAt: now in ISO 8601 } into the approval table
  // (a PutCommand through ddb, TableName approvalTableName(), both in lib/dynamodb.ts).
  console.log(`pandemic alert for ${request.virusId}: waiting for approval`);
  return { waiting: request.virusId };
};
