import { afterEach, beforeEach, describe, it, expect, vi } from 'vitest';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { ddb } from '../lib/dynamodb.ts';
import { main } from '../functions/listViruses/handler.ts';

// No cloud here: the client's send() is replaced by a stub that answers like DynamoDB would.
describe('listViruses (GET /viruses)', () => {
  beforeEach(() => {
    process.env.VIRUS_TABLE_NAME = 'dojo-serverless-test-viruses';
  });
  afterEach(() => {
    vi.restoreAllMocks();
    delete process.env.VIRUS_TABLE_NAME;
  });

  it('scans the table and answers 200 { viruses } newest first', async () => {
    const old = { id: '0b6a3c1e-5f7d-4e2a-9c1b-2d3e4f5a6b7c', createdAt: '2026-11-21T09:00:00.000Z' };
    const young = { id: '7d1f0a52-3b8e-4c6d-a2f1-9e8d7c6b5a49', createdAt: '2026-11-21T09:05:00.000Z' };
    const send = vi.spyOn(ddb, 'send').mockResolvedValue({ Items: [old, young] } as never);
    const response = await main();
    const command = send.mock.calls[0]![0];
    expect(command).toBeInstanceOf(ScanCommand);
    expect(command.input).toMatchObject({ TableName: 'dojo-serverless-test-viruses' });
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body!)).toEqual({ viruses: [young, old] });
  });

  it('answers an empty list for an empty board', async () => {
    vi.spyOn(ddb, 'send').mockResolvedValue({ Items: [] } as never);
    const response = await main();
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body!)).toEqual({ viruses: [] });
  });
});
