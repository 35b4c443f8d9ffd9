import type { WebSocketEvent, WebSocketResponse } from '../../lib/websocket.ts';

/** $disconnect: a board closed the WebSocket (or lost it). */
export const main = async (event: WebSocketEvent): Promise<WebSocketResponse> => {
  // TODO 4: (bonus) forget the connection: delete the item whose connectionId is this one.
  console.log('disconnected', event.requestContext.connectionId);
  return { statusCode: 200 };
};
