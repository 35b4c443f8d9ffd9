/**
 * DynamoDB's wire API on the gateway: the JSON protocol (`X-Amz-Target: DynamoDB_20120810.*`),
 * handed to the service, which checks the caller's role and forwards it to dynalite.
 */
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { send, type Gateway } from '../gateway/server.ts';
import type { ApiCatalogue } from '../gateway/api-catalogue.ts';

/** dynalite serves what it validates: one module per action in its validations folder. */
const DYNALITE_VALIDATIONS = join(dirname(createRequire(import.meta.url).resolve('dynalite')), 'validations');

export const dynamodbApi: ApiCatalogue = {
  service: 'DynamoDB (dynalite)',
  protocol: 'JSON 1.0 (X-Amz-Target DynamoDB_20120810.*)',
  actions: readdirSync(DYNALITE_VALIDATIONS)
    .filter((f) => f.endsWith('.js') && f !== 'index.js')
    .map((f) => f[0].toUpperCase() + f.slice(1, -3))
    .sort(),
};
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
