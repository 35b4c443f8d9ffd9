/**
 * DynamoDB's wire API on the gateway: the JSON protocol (`X-Amz-Target: DynamoDB_20120810.*`),
 * handed to the service, which checks the caller's role and forwards it to dynalite; and the
 * DynamoDB Streams read API (`DynamoDBStreams_20120810.*`) at the same endpoint, as the
 * `dynamodbstreams` clients call it.
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
import { AwsError } from '../core/errors.ts';

export const dynamodbStreamsApi: ApiCatalogue = {
  service: 'DynamoDB Streams',
  protocol: 'JSON 1.0 (X-Amz-Target DynamoDBStreams_20120810.*)',
  actions: ['DescribeStream', 'GetRecords', 'GetShardIterator', 'ListStreams'],
};

export function registerDynamoDbApi(gateway: Gateway, dynamodb: DynamoDb): void {
  gateway.route(
    (req) =>
      req.method === 'POST' &&
      typeof req.headers['x-amz-target'] === 'string' &&
      String(req.headers['x-amz-target']).startsWith('DynamoDB_20120810.'),
    async (req, res) => {
      const action = String(req.headers['x-amz-target']).split('.')[1];
      const out = await dynamodb.handle(action, req.input ?? {}, req);
      send(
        res,
        out.status,
        out.headers['content-type'] ?? 'application/x-amz-json-1.0',
        out.body,
        out.headers,
      );
    },
  );
  const { streams } = dynamodb;
  gateway.jsonService(
    'DynamoDBStreams_20120810',
    async (action, input: any, req) => {
      // GetRecords names no stream but its iterator does: the role is checked on that stream.
      const stream =
        action === 'GetRecords' ? streams.streamOfIterator(input.ShardIterator) : input.StreamArn;
      dynamodb.authorize(req, action, stream === undefined ? input : { ...input, StreamArn: stream });
      switch (action) {
        case 'ListStreams':
          return streams.listStreams(input);
        case 'DescribeStream':
          return streams.describeStream(input);
        case 'GetShardIterator':
          return streams.getShardIterator(input);
        case 'GetRecords':
          return streams.getRecords(input);
        default:
          throw new AwsError(
            'UnknownOperationException',
            `The local cloud's DynamoDB Streams does not serve ${action}: it serves ${dynamodbStreamsApi.actions.join(', ')}.`,
          );
      }
    },
    'application/x-amz-json-1.0',
  );
}
