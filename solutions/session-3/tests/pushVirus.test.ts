import { afterEach, beforeEach, describe, it, expect, vi } from 'vitest';
import { GoneException, PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import { DeleteCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { ddb } from '../lib/dynamodb.ts';
import { connections } from '../lib/websocket.ts';
import { main } from '../functions/pushVirus/handler.ts';

const id = '0b6a3c1e-5f7d-4e2a-9c1b-2d3e4f5a6b7c';
const createdAt = '2026-11-21T09:00:00.000Z';
// A batch from the virus table's stream: a virus appears, then a player kills it.
const batch = {
  Records: [
    { eventName: 'INSERT' as const, dynamodb: { Keys: { id: { S: id } }, NewImage: { id: { S: id }, createdAt: { S: createdAt } } } },
    { eventName: 'REMOVE' as const, dynamodb: { Keys: { id: { S: id } } } },
  ],
};
const gone = () => new GoneException({ message: '', $metadata: { httpStatusCode: 410 } });

/** The table holds these connections; every other call answers {}. */
function table(connectionIds: string[]) {
  return vi.spyOn(ddb, 'send').mockImplementation((async (command: unknown) =>
    command instanceof ScanCommand ? { Items: connectionIds.map((connectionId) => ({ connectionId })) } : {}) as never);
}

describe('pushVirus (the virus table stream)', () => {
  beforeEach(() => {
    process.env.CONNECTION_TABLE_NAME = 'dojo-serverless-test-connections';
    process.env.WEBSOCKET_ENDPOINT = 'https://abc123.execute-api.eu-west-1.amazonaws.com/test';
  });
  afterEach(() => {
    vi.restoreAllMocks();
    delete process.env.CONNECTION_TABLE_NAME;
    delete process.env.WEBSOCKET_ENDPOINT;
  });

  it('posts each change to every connection, in order', async () => {
    table(['first=', 'second=']);
    const post = vi.spyOn(connections(), 'send').mockResolvedValue({} as never);
    await main(batch);
    const sent = post.mock.calls.map(([command]) => {
      expect(command).toBeInstanceOf(PostToConnectionCommand);
      const input = (command as PostToConnectionCommand).input;
      return [input.ConnectionId, JSON.parse(String(input.Data))];
    });
    expect(sent).toEqual([
      ['first=', { type: 'INSERT', virus: { id, createdAt } }],
      ['second=', { type: 'INSERT', virus: { id, createdAt } }],
      ['first=', { type: 'REMOVE', virus: { id } }],
      ['second=', { type: 'REMOVE', virus: { id } }],
    ]);
  });

  it('forgets a connection that is gone (410) and still reaches the others', async () => {
    const send = table(['gone=', 'live=']);
    const post = vi.spyOn(connections(), 'send').mockImplementation((async (command: PostToConnectionCommand) => {
      if (command.input.ConnectionId === 'gone=') throw gone();
      return {};
    }) as never);
    await main(batch);
    const deletes = send.mock.calls.map(([c]) => c).filter((c) => c instanceof DeleteCommand);
    expect(deletes.map((c) => c.input)).toEqual([
      { TableName: 'dojo-serverless-test-connections', Key: { connectionId: 'gone=' } },
    ]);
    expect(post.mock.calls.filter(([c]) => (c as PostToConnectionCommand).input.ConnectionId === 'live=')).toHaveLength(2);
  });

  it('lets other errors through: Lambda retries the batch', async () => {
    table(['live=']);
    vi.spyOn(connections(), 'send').mockRejectedValue(new Error('network down') as never);
    await expect(main(batch)).rejects.toThrow('network down');
  });
});
