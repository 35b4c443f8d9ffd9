import { afterEach, beforeEach, describe, it, expect, vi } from 'vitest';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { ddb } from '../lib/dynamodb.ts';
import { main } from '../functions/killVirus/handler.ts';

const id = '0b6a3c1e-5f7d-4e2a-9c1b-2d3e4f5a6b7c';
const kill = (virusId: string | undefined) => main({ routeKey: 'DELETE /viruses/{id}', pathParameters: { id: virusId } });

describe('killVirus (DELETE /viruses/{id})', () => {
  beforeEach(() => {
    process.env.VIRUS_TABLE_NAME = 'dojo-serverless-test-viruses';
  });
  afterEach(() => {
    vi.restoreAllMocks();
    delete process.env.VIRUS_TABLE_NAME;
  });

  it('deletes the virus, only if it exists, and answers 204', async () => {
    const send = vi.spyOn(ddb, 'send').mockResolvedValue({} as never);
    const response = await kill(id);
    expect(response.statusCode).toBe(204);
    const command = send.mock.calls[0]![0];
    expect(command).toBeInstanceOf(DeleteCommand);
    expect(command.input).toMatchObject({
      TableName: 'dojo-serverless-test-viruses',
      Key: { id },
      ConditionExpression: 'attribute_exists(id)',
    });
  });

  it('answers 404 { message } when there is no such virus', async () => {
    vi.spyOn(ddb, 'send').mockRejectedValue(
      new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }),
    );
    const response = await kill(id);
    expect(response.statusCode).toBe(404);
    expect(JSON.parse(response.body!)).toEqual({ message: expect.any(String) });
  });

  it.each(['not-a-uuid', '', `${id}/extra`, undefined])('answers 400 for the id %j without touching the table', async (badId) => {
    const send = vi.spyOn(ddb, 'send').mockResolvedValue({} as never);
    const response = await kill(badId);
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body!)).toEqual({ message: expect.any(String) });
    expect(send).not.toHaveBeenCalled();
  });

  it('lets other errors through (those are a real 500)', async () => {
    vi.spyOn(ddb, 'send').mockRejectedValue(new Error('network down'));
    await expect(kill(id)).rejects.toThrow('network down');
  });
});
