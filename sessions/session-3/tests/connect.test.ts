import { afterEach, beforeEach, describe, it, expect, vi } from 'vitest';
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { ddb } from '../lib/dynamodb.ts';
import { main as connect } from '../functions/connect/handler.ts';
import { main as disconnect } from '../functions/disconnect/handler.ts';

// What API Gateway sends the $connect and $disconnect routes (the parts our handlers read).
const connectionId = 'L0SM9cOFvHcCIhw=';
const event = (routeKey: string) => ({
  requestContext: { connectionId, routeKey, connectedAt: Date.parse('2026-11-21T09:00:00Z') },
});

describe('connect and disconnect (the WebSocket API)', () => {
  beforeEach(() => {
    process.env.CONNECTION_TABLE_NAME = 'dojo-serverless-test-connections';
  });
  afterEach(() => {
    vi.restoreAllMocks();
    delete process.env.CONNECTION_TABLE_NAME;
  });

  it('$connect puts the connection into the table named by CONNECTION_TABLE_NAME and lets the client in', async () => {
    const send = vi.spyOn(ddb, 'send').mockResolvedValue({} as never);
    const response = await connect(event('$connect'));
    expect(response.statusCode).toBe(200);
    const command = send.mock.calls[0]![0];
    expect(command).toBeInstanceOf(PutCommand);
    expect(command.input).toEqual({
      TableName: 'dojo-serverless-test-connections',
      Item: { connectionId, connectedAt: '2026-11-21T09:00:00.000Z' },
    });
  });

  it('$disconnect deletes the connection from the table', async () => {
    const send = vi.spyOn(ddb, 'send').mockResolvedValue({} as never);
    const response = await disconnect(event('$disconnect'));
    expect(response.statusCode).toBe(200);
    const command = send.mock.calls[0]![0];
    expect(command).toBeInstanceOf(DeleteCommand);
    expect(command.input).toEqual({ TableName: 'dojo-serverless-test-connections', Key: { connectionId } });
  });
});
