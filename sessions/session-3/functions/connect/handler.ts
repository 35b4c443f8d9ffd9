import type { WebSocketEvent, WebSocketResponse } from '../../lib/websocket.ts';

/** $connect: a board opened the WebSocket. */
export const main = async (event: WebSocketEvent): Promise<WebSocketResponse> => {
  // TODO 4: (bonus) remember the connection, so that pushVirus can reach it: put
  // { connectionId, connectedAt } (connectedAt as an ISO string) into the table connectionTableName() names.
  console.log('connected', event.requestContext.connectionId);
  // 200 lets the client in; any other status refuses the handshake.
  return { statusCode: 200 };
};
