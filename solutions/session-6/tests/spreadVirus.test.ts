import { afterEach, beforeEach, describe, it, expect, vi } from 'vitest';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { eventBridge } from '../lib/eventbridge.ts';
import { main } from '../functions/spreadVirus/handler.ts';

// No cloud here: the client's send() is replaced by a stub that answers like EventBridge would.
describe('spreadVirus (every minute)', () => {
  beforeEach(() => {
    process.env.EVENT_BUS_NAME = 'dojo-serverless-test';
  });
  afterEach(() => {
    vi.restoreAllMocks();
    delete process.env.EVENT_BUS_NAME;
  });

  it('puts 3 VIRUS_CREATION_REQUESTED events on the bus in one PutEvents call', async () => {
    const send = vi.spyOn(eventBridge, 'send').mockResolvedValue({ FailedEntryCount: 0, Entries: [{}, {}, {}] } as never);
    await main();
    expect(send).toHaveBeenCalledTimes(1);
    const command = send.mock.calls[0]![0];
    expect(command).toBeInstanceOf(PutEventsCommand);
    const entries = (command as PutEventsCommand).input.Entries;
    expect(entries).toHaveLength(3);
    for (const entry of entries!) {
      expect(entry).toEqual({
        EventBusName: 'dojo-serverless-test',
        Source: 'dojo-serverless',
        DetailType: 'VIRUS_CREATION_REQUESTED',
        Detail: '{}',
      });
    }
  });

  it('says how many viruses it asked for', async () => {
    vi.spyOn(eventBridge, 'send').mockResolvedValue({ FailedEntryCount: 0, Entries: [{}, {}, {}] } as never);
    await expect(main()).resolves.toEqual({ requested: 3 });
  });

  it('fails when EventBridge refuses some of the events', async () => {
    vi.spyOn(eventBridge, 'send').mockResolvedValue({
      FailedEntryCount: 1,
      Entries: [{ EventId: 'a' }, { ErrorCode: 'InternalFailure', ErrorMessage: 'try again' }, { EventId: 'c' }],
    } as never);
    await expect(main()).rejects.toThrow(/refused 1 of 3/);
  });
});
