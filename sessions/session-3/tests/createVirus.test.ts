import { afterEach, beforeEach, describe, it, expect, vi } from 'vitest';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { ddb } from '../lib/dynamodb.ts';
import { main } from '../functions/createVirus/handler.ts';

// What EventBridge sends when the rule fires, and the context Lambda gives the invocation.
const scheduledEvent = {
  'detail-type': 'Scheduled Event',
  source: 'aws.events',
  time: '2026-11-21T09:00:00Z',
  resources: ['arn:aws:events:eu-west-1:123456789012:rule/dojo-serverless-test-CreateVirusEventsRuleSchedule1'],
  detail: {},
};
const context = { awsRequestId: '3f9c2a1b-8d7e-4f60-9a5b-1c2d3e4f5a6b' };

describe('createVirus (every minute)', () => {
  beforeEach(() => {
    process.env.VIRUS_TABLE_NAME = 'dojo-serverless-test-viruses';
  });
  afterEach(() => {
    vi.restoreAllMocks();
    delete process.env.VIRUS_TABLE_NAME;
  });

  it('puts the virus it returns into the table named by VIRUS_TABLE_NAME', async () => {
    const send = vi.spyOn(ddb, 'send').mockResolvedValue({} as never);
    const virus = await main(scheduledEvent, context);
    expect(send).toHaveBeenCalledTimes(1);
    const command = send.mock.calls[0]![0];
    expect(command).toBeInstanceOf(PutCommand);
    expect(command.input).toEqual({ TableName: 'dojo-serverless-test-viruses', Item: virus });
  });

  it('uses the request id as the virus id', async () => {
    vi.spyOn(ddb, 'send').mockResolvedValue({} as never);
    const virus = await main(scheduledEvent, context);
    expect(virus.id).toBe(context.awsRequestId);
    expect(virus.createdAt).toBe(new Date(virus.createdAt).toISOString());
  });

  it('writes the same virus again when Lambda retries the same request', async () => {
    const send = vi.spyOn(ddb, 'send').mockResolvedValue({} as never);
    await main(scheduledEvent, context);
    await main(scheduledEvent, context);
    const ids = send.mock.calls.map(([command]) => (command.input as { Item: { id: string } }).Item.id);
    expect(ids).toEqual([context.awsRequestId, context.awsRequestId]);
  });
});
