/**
 * WebSocket APIs on the gateway: the handshake at a stage
 * (`ws://<gateway>/_aws/execute-api/<apiId>/<stage>`) and the `@connections` management API
 * (PostToConnection, GetConnection, DeleteConnection) at
 * `<gateway>/_aws/execute-api/<apiId>/<stage>/@connections/<connectionId>`, which is what
 * @aws-sdk/client-apigatewaymanagementapi calls with
 * `endpoint: '<gateway>/_aws/execute-api/<apiId>/<stage>'`. A request addressed to
 * `https://<apiId>.execute-api.<region>.amazonaws.com/<stage>` (by its Host header) reaches
 * the same place: the gateway maps that host to the path form.
 */
import { sendError, sendJson, type Gateway } from '../../gateway/server.ts';
import type { WebSocketApis } from './service.ts';

const CONNECTIONS = /^\/_aws\/execute-api\/([^/]+)\/([^/]+)\/(?:@|%40)connections\/([^/]+)$/;

export function registerWebSocketApi(gateway: Gateway, webSockets: WebSocketApis): void {
  gateway.upgrade(
    (path) => webSockets.isStagePath(path),
    (req, socket, head, path) => {
      webSockets.upgrade(req, socket, head, path).catch((err: Error) => {
        const body = JSON.stringify({
          message: `The local cloud failed to open the connection: ${err.message}`,
        });
        socket.end(
          `HTTP/1.1 500 Internal Server Error\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n${body}`,
        );
      });
    },
  );

  gateway.route(
    (req) => {
      const m = CONNECTIONS.exec(req.path);
      return !!m && webSockets.has(m[1]);
    },
    async (req, res) => {
      const [, apiId, stage, encodedId] = CONNECTIONS.exec(req.path)!;
      const connectionId = decodeURIComponent(encodedId);
      try {
        if (req.method === 'POST') {
          webSockets.post(apiId, stage, connectionId, req.body);
          res.writeHead(200, { 'content-length': 0 }).end();
        } else if (req.method === 'GET') sendJson(res, 200, webSockets.describe(apiId, stage, connectionId));
        else if (req.method === 'DELETE') {
          webSockets.disconnect(apiId, stage, connectionId);
          res.writeHead(204).end();
        } else
          sendJson(
            res,
            403,
            { message: 'Missing Authentication Token' },
            { 'x-amzn-errortype': 'MissingAuthenticationTokenException' },
          );
      } catch (err) {
        sendError(res, err, 'rest');
      }
    },
  );
}
