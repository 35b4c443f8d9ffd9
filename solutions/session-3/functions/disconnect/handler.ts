import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { ddb } from '../../lib/dynamodb.ts';
import { connectionTableName, type WebSocketEvent, type WebSocketResponse } from '../../lib/websocket.ts';

/** $disconnect: a board closed the WebSocket (or lost it). Forget its connection. */
export const main = async (event: WebSocketEvent): Promise<WebSocketResponse> => {
  await ddb.send(
    new DeleteCommand({
      TableName: connectionTableName(),
      Key: { connectionId: event.requestContext.connectionId },
    }),
  );
  return { statusCode: 200 };
};
