import { afterEach, beforeEach, describe, it, expect, vi } from 'vitest';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { ddb } from '../lib/dynamodb.ts';
import { main } from '../functions/createVirus/handler.ts';

// What the CreateVirus state hands the function (ChooseWaitTime's output), and Lambda's context.
const input = { numberOfSeconds: 42 };
const context = { awsRequestId: '3f9c2a1b-8d7e-4f60-9a5b-1c2d3e4f5a6b' };

describe('createVirus (the CreateVirus state)', () => {
  beforeEach(() => {
    process.env.VIRUS_TABLE_NAME = 'dojo-serverless-test-viruses';
  });
  afterEach(() => {
    vi.restoreAllMocks();
    delete process.env.VIRUS_TABLE_NAME;
  });

  it('puts the virus it returns into the table named by VIRUS_TABLE_NAME', async () => {
    const send = vi.spyOn(ddb, 'send').mockResolvedValue({} as never);
    const virus = await main(input, context);
    expect(send).toHaveBeenCalledTimes(1);
    const command = send.mock.calls[0]![0];
    expect(command).toBeInstanceOf(PutCommand);
    expect(command.input).toEqual({ TableName: 'dojo-serverless-test-viruses', Item: virus });
  });

  it('uses the request id as the virus id', async () => {
    vi.spyOn(ddb, 'send').mockResolvedValue({} as never);
    const virus = await main(input, context);
    expect(virus).toEqual({ id: context.awsRequestId, createdAt: expect.any(String) });
  });

  it('takes any input, even an empty one', async () => {
    vi.spyOn(ddb, 'send').mockResolvedValue({} as never);
    await expect(main({}, context)).resolves.toMatchObject({ id: context.awsRequestId });
  });
});
