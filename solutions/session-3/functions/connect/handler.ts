import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { ddb } from '../../lib/dynamodb.ts';
import { connectionTableName, type WebSocketEvent, type WebSocketResponse } from '../../lib/websocket.ts';

/** $connect: a board opened the WebSocket. Remember its connection, so that pushVirus can reach it. */
export const main = async (event: WebSocketEvent): Promise<WebSocketResponse> => {
  const { connectionId, connectedAt = Date.now() } = event.requestContext;
  await ddb.send(
    new PutCommand({
      TableName: connectionTableName(),
      Item: { connectionId, connectedAt: new Date(connectedAt).toISOString() },
    }),
  );
  // 200 lets the client in; any other status refuses the handshake.
  return { statusCode: 200 };
};
