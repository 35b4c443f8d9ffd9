import { afterEach, beforeEach, describe, it, expect, vi } from 'vitest';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { ddb } from '../lib/dynamodb.ts';
import { main } from '../functions/requestApproval/handler.ts';

describe('requestApproval (the AskForApproval state, .waitForTaskToken)', () => {
  beforeEach(() => {
    process.env.APPROVAL_TABLE_NAME = 'dojo-serverless-test-approvals';
  });
  afterEach(() => {
    vi.restoreAllMocks();
    delete process.env.APPROVAL_TABLE_NAME;
  });

  it('keeps the task token in the approval table, by virus id', async () => {
    const send = vi.spyOn(ddb, 'send').mockResolvedValue({} as never);
    await expect(main({ token: 'AQtoken', virusId: 'v1', strength: 92 })).resolves.toEqual({ waiting: 'v1' });
    const command = send.mock.calls[0]![0];
    expect(command).toBeInstanceOf(PutCommand);
    expect(command.input).toEqual({ TableName: 'dojo-serverless-test-approvals', Item: { id: 'v1', token: 'AQtoken', strength: 92, requestedAt: expect.any(String) } });
  });

  it('fails, saying how to pass it, without a token', async () => {
    vi.spyOn(ddb, 'send').mockResolvedValue({} as never);
    await expect(main({ virusId: 'v1' })).rejects.toThrow('$states.context.Task.Token');
  });
});
