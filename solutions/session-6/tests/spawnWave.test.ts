import { afterEach, beforeEach, describe, it, expect, vi } from 'vitest';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { ddb } from '../lib/dynamodb.ts';
import { main, WAVE_SIZE } from '../functions/spawnWave/handler.ts';

describe('spawnWave (a Schedule Tick of an outbreak)', () => {
  beforeEach(() => {
    process.env.VIRUS_TABLE_NAME = 'dojo-serverless-test-viruses';
  });
  afterEach(() => {
    vi.restoreAllMocks();
    delete process.env.VIRUS_TABLE_NAME;
  });

  it(`puts a wave of ${WAVE_SIZE} new viruses on the board`, async () => {
    const send = vi.spyOn(ddb, 'send').mockResolvedValue({} as never);
    await expect(main({ detail: { id: 'outbreak:every-5' } })).resolves.toEqual({ spawned: WAVE_SIZE });
    expect(send).toHaveBeenCalledTimes(WAVE_SIZE);
    const ids = new Set<string>();
    for (const [command] of send.mock.calls) {
      expect(command).toBeInstanceOf(PutCommand);
      expect(command.input).toMatchObject({ TableName: 'dojo-serverless-test-viruses', Item: { id: expect.any(String), createdAt: expect.any(String) } });
      ids.add((command as PutCommand).input.Item!.id as string);
    }
    expect(ids.size).toBe(WAVE_SIZE);
  });
});
