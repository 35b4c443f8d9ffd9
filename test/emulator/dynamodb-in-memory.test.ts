/**
 * DynamoDB reaches dynalite's request handler in memory (dynalite-exchange.ts), not over a
 * second loopback connection: what a client sees must stay dynalite's answer, byte for
 * byte where clients check it (the CRC32 the SDK verifies), errors in AWS's shape, many
 * requests at once, a table that takes items as soon as CreateTable has answered, a stop
 * with requests still in dynalite, and a table on disk that survives a restart of the local cloud.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import {
  CreateTableCommand,
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  ResourceNotFoundException,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import { LocalCloud } from '../../emulator/cloud.ts';

const TABLE = {
  BillingMode: 'PAY_PER_REQUEST' as const,
  AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' as const }],
  KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' as const }],
};

describe('DynamoDB through the gateway, dynalite in memory', () => {
  let cloud: LocalCloud;
  let ddb: DynamoDBClient;

  beforeAll(async () => {
    cloud = await LocalCloud.start();
    ddb = new DynamoDBClient(cloud.clientConfig());
    await ddb.send(new CreateTableCommand({ TableName: 'viruses', ...TABLE }));
  });
  afterAll(async () => {
    ddb?.destroy();
    await cloud?.stop();
  });

  it('answers with dynalite headers: a request id and the CRC32 of the body the SDK checks', async () => {
    const res = await fetch(cloud.endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': 'DynamoDB_20120810.PutItem',
        authorization:
          'AWS4-HMAC-SHA256 Credential=local/20260101/eu-west-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
        'x-amz-date': '20260101T000000Z',
      },
      body: JSON.stringify({ TableName: 'viruses', Item: { id: { S: 'v-raw' } } }),
    });
    const body = await res.text();
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/x-amz-json-1.0');
    expect(res.headers.get('x-amzn-requestid')).toMatch(/^[A-Z0-9]{52}$/);
    expect(res.headers.get('x-amz-crc32')).toBe(String(crc32(body)));
    expect(JSON.parse(body)).toEqual({});
  });

  it("gives dynalite's errors in AWS's shape, through the SDK", async () => {
    const err = await ddb
      .send(new GetItemCommand({ TableName: 'no-such-table', Key: { id: { S: 'x' } } }))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ResourceNotFoundException);
    expect((err as Error).message).toBe('Requested resource not found');
  });

  it('serves 200 writes at once, none lost', async () => {
    await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        ddb.send(
          new PutItemCommand({ TableName: 'viruses', Item: { id: { S: `v${i}` }, n: { N: String(i) } } }),
        ),
      ),
    );
    const { Count } = await ddb.send(new ScanCommand({ TableName: 'viruses', Select: 'COUNT' }));
    expect(Count).toBe(201); // and v-raw
  });
});

describe('CreateTable', () => {
  it('answers CREATING, as AWS does, and the table takes items at once (on disk too, where writes are slow)', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'dojo-dynamodb-create-'));
    const cloud = await LocalCloud.start({ dataDir });
    const ddb = new DynamoDBClient(cloud.clientConfig());
    try {
      for (let i = 0; i < 10; i++) {
        const { TableDescription } = await ddb.send(
          new CreateTableCommand({ TableName: `fresh-${i}`, ...TABLE }),
        );
        expect(TableDescription?.TableStatus).toBe('CREATING');
        await ddb.send(new PutItemCommand({ TableName: `fresh-${i}`, Item: { id: { S: 'first' } } }));
      }
    } finally {
      ddb.destroy();
      await cloud.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('a stop while requests are in dynalite', () => {
  it('lets them end before it closes the store: each call settles, nothing is thrown uncaught', async () => {
    const cloud = await LocalCloud.start();
    const ddb = new DynamoDBClient(cloud.clientConfig());
    await ddb.send(new CreateTableCommand({ TableName: 'busy', ...TABLE }));
    const uncaught: unknown[] = [];
    const onUncaught = (err: unknown) => uncaught.push(err);
    process.on('uncaughtException', onUncaught);
    try {
      // Writes and deletes, sent and not awaited, as a handler's are when its check ends.
      const settled = (p: Promise<unknown>) =>
        p.then(
          () => 'answered',
          () => 'refused',
        );
      const calls = Array.from({ length: 200 }, (_, i) =>
        i % 2
          ? settled(ddb.send(new DeleteItemCommand({ TableName: 'busy', Key: { id: { S: `v${i - 1}` } } })))
          : settled(ddb.send(new PutItemCommand({ TableName: 'busy', Item: { id: { S: `v${i}` } } }))),
      );
      await new Promise((r) => setTimeout(r, 20));
      await cloud.stop();
      const outcomes = await Promise.all(calls);
      expect(outcomes).toHaveLength(200);
      // Let whatever dynalite had queued run: a write into a closed store threw here, uncaught.
      await new Promise((r) => setTimeout(r, 50));
      expect(uncaught).toEqual([]);
    } finally {
      process.off('uncaughtException', onUncaught);
      ddb.destroy();
    }
  });
});

describe('a table on disk', () => {
  it('is there after the local cloud stops and starts again on the same folder', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'dojo-dynamodb-disk-'));
    try {
      const first = await LocalCloud.start({ dataDir });
      const ddb = new DynamoDBClient(first.clientConfig());
      await ddb.send(new CreateTableCommand({ TableName: 'kept', ...TABLE }));
      await ddb.send(new PutItemCommand({ TableName: 'kept', Item: { id: { S: 'survivor' } } }));
      ddb.destroy();
      await first.stop();

      const second = await LocalCloud.start({ dataDir });
      const again = new DynamoDBClient(second.clientConfig());
      try {
        const { Item } = await again.send(
          new GetItemCommand({ TableName: 'kept', Key: { id: { S: 'survivor' } }, ConsistentRead: true }),
        );
        expect(Item).toEqual({ id: { S: 'survivor' } });
      } finally {
        again.destroy();
        await second.stop();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
