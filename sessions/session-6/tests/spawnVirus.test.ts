import { afterEach, beforeEach, describe, it, expect, vi } from 'vitest';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { ddb } from '../lib/dynamodb.ts';
import { main } from '../functions/spawnVirus/handler.ts';

describe('spawnVirus (POST /viruses)', () => {
  beforeEach(() => {
    process.env.VIRUS_TABLE_NAME = 'dojo-serverless-test-viruses';
  });
  afterEach(() => {
    vi.restoreAllMocks();
    delete process.env.VIRUS_TABLE_NAME;
  });

  it('puts a new virus into the table and answers 201 with it', async () => {
    const send = vi.spyOn(ddb, 'send').mockResolvedValue({} as never);
    const response = await main();
    expect(response.statusCode).toBe(201);
    const virus = JSON.parse(response.body!);
    expect(virus).toEqual({ id: expect.any(String), createdAt: expect.any(String) });
    expect(send).toHaveBeenCalledTimes(1);
    const command = send.mock.calls[0]![0];
    expect(command).toBeInstanceOf(PutCommand);
    expect(command.input).toEqual({ TableName: 'dojo-serverless-test-viruses', Item: virus });
  });
});
