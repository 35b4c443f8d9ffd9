import { afterEach, beforeEach, describe, it, expect, vi } from 'vitest';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { ddb } from '../lib/dynamodb.ts';
import { main } from '../functions/createVirus/handler.ts';

// No cloud here: the client's send() is replaced by a stub that records what it was asked to do.
describe('createVirus', () => {
  beforeEach(() => {
    process.env.VIRUS_TABLE_NAME = 'dojo-serverless-test-viruses';
  });
  afterEach(() => {
    vi.restoreAllMocks();
    delete process.env.VIRUS_TABLE_NAME;
  });

  it('puts the virus it returns into the table named by VIRUS_TABLE_NAME', async () => {
    const send = vi.spyOn(ddb, 'send').mockResolvedValue({} as never);
    const virus = await main();
    expect(send).toHaveBeenCalledTimes(1);
    const command = send.mock.calls[0]![0];
    expect(command).toBeInstanceOf(PutCommand);
    expect(command.input).toEqual({ TableName: 'dojo-serverless-test-viruses', Item: virus });
  });

  it('returns a virus with an id and a createdAt', async () => {
    vi.spyOn(ddb, 'send').mockResolvedValue({} as never);
    const virus = await main();
    expect(virus).toEqual({ id: expect.any(String), createdAt: expect.any(String) });
  });
});
