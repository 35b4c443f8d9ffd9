import { afterEach, describe, it, expect } from 'vitest';
import { eventBusName, EVENT_SOURCE, scheduleRejected, VIRUS_CREATION_REQUESTED, virusCreationRequest } from '../lib/eventbridge.ts';

describe('virusCreationRequest', () => {
  it('is a VIRUS_CREATION_REQUESTED event from dojo-serverless on the given bus', () => {
    expect(virusCreationRequest('dojo-serverless-test')).toEqual({
      EventBusName: 'dojo-serverless-test',
      Source: 'dojo-serverless',
      DetailType: 'VIRUS_CREATION_REQUESTED',
      Detail: '{}',
    });
  });

  it('has a Detail that is a JSON object, as EventBridge requires', () => {
    expect(JSON.parse(virusCreationRequest('any').Detail!)).toEqual({});
  });

  it('uses the names the state machine listens for', () => {
    expect(EVENT_SOURCE).toBe('dojo-serverless');
    expect(VIRUS_CREATION_REQUESTED).toBe('VIRUS_CREATION_REQUESTED');
  });
});

describe('eventBusName', () => {
  afterEach(() => {
    delete process.env.EVENT_BUS_NAME;
  });

  it('reads EVENT_BUS_NAME', () => {
    process.env.EVENT_BUS_NAME = 'dojo-serverless-test';
    expect(eventBusName()).toBe('dojo-serverless-test');
  });

  it('says what to do when EVENT_BUS_NAME is missing', () => {
    expect(() => eventBusName()).toThrow(/EVENT_BUS_NAME/);
  });
});

describe('scheduleRejected', () => {
  it('is a Schedule Rejected event { id, reason } from dojo-serverless on the given bus', () => {
    const entry = scheduleRejected('dojo-serverless-test', 'check:bad', 'no good');
    expect(entry).toMatchObject({ EventBusName: 'dojo-serverless-test', Source: 'dojo-serverless', DetailType: 'Schedule Rejected' });
    expect(JSON.parse(entry.Detail!)).toEqual({ id: 'check:bad', reason: 'no good' });
  });

  it('leaves the id out when the Start had none', () => {
    expect(JSON.parse(scheduleRejected('any', undefined, 'no id').Detail!)).toEqual({ reason: 'no id' });
  });
});
