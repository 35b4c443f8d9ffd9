import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { ddb, virusTableName } from '../../lib/dynamodb.ts';
import { errorResponse, noContent, type HttpEvent, type HttpResponse } from '../../lib/http.ts';
import { isVirusId } from '../../lib/virus.ts';

/** DELETE /viruses/{id}: a player killed a virus. */
export const main = async (event: HttpEvent): Promise<HttpResponse> => {
  const id = event.pathParameters?.id;
  // Bad input is the caller's mistake (4xx), never a crash of ours (500).
  if (!isVirusId(id)) {
    return errorResponse(400, 'A virus id is a UUID, like 0b6a3c1e-5f7d-4e2a-9c1b-2d3e4f5a6b7c.');
  }
  try {
    await ddb.send(
      new DeleteCommand({
        TableName: virusTableName(),
        Key: { id },
        // Without a condition, deleting a missing item succeeds silently. With it, DynamoDB
        // refuses, and we can tell the player the virus was not there (already killed?).
        ConditionExpression: 'attribute_exists(id)',
      }),
    );
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) {
      return errorResponse(404, `No virus ${id} on the board: already killed?`);
    }
    throw error;
  }
  return noContent();
};
