import { afterEach, beforeEach, describe, it, expect, vi } from 'vitest';
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { ddb } from '../lib/dynamodb.ts';
import { main } from '../functions/stopSchedule/handler.ts';

describe('stopSchedule (a Schedule Stop event)', () => {
  beforeEach(() => {
    process.env.SCHEDULE_TABLE_NAME = 'dojo-serverless-test-schedules';
  });
  afterEach(() => {
    vi.restoreAllMocks();
    delete process.env.SCHEDULE_TABLE_NAME;
  });

  it("deletes the schedule named by the event's detail (not the event's own id)", async () => {
    const send = vi.spyOn(ddb, 'send').mockResolvedValue({} as never);
    await expect(main({ id: 'eeeeeeee-0000-4000-8000-000000000000', detail: { id: 'outbreak:every-5' } })).resolves.toEqual({ stopped: 'outbreak:every-5' });
    const command = send.mock.calls[0]![0];
    expect(command).toBeInstanceOf(DeleteCommand);
    expect(command.input).toEqual({ TableName: 'dojo-serverless-test-schedules', Key: { id: 'outbreak:every-5' } });
  });

  it('does nothing, and does not fail, without an id', async () => {
    const send = vi.spyOn(ddb, 'send').mockResolvedValue({} as never);
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    await expect(main({ detail: {} })).resolves.toEqual({ stopped: null });
    expect(send).not.toHaveBeenCalled();
  });
});
