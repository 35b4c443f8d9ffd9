/**
 * DynamoDB's wire API on the gateway: the JSON protocol (`X-Amz-Target: DynamoDB_20120810.*`),
 * handed to the service, which checks the caller's role and forwards it to dynalite.
 */
import { send, type Gateway } from '../gateway/server.ts';
import type { DynamoDb } from './service.ts';

export function registerDynamoDbApi(gateway: Gateway, dynamodb: DynamoDb): void {
  gateway.route(
    (req) =>
      req.method === 'POST' &&
      typeof req.headers['x-amz-target'] === 'string' &&
      String(req.headers['x-amz-target']).startsWith('DynamoDB_20120810.'),
    async (req, res) => {
      const action = String(req.headers['x-amz-target']).split('.')[1];
      const input = req.body.length ? JSON.parse(req.body.toString('utf8')) : {};
      const out = await dynamodb.handle(action, input, req);
      send(
        res,
        out.status,
        out.headers['content-type'] ?? 'application/x-amz-json-1.0',
        out.body,
        out.headers,
      );
    },
  );
}
