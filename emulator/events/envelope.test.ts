import { describe, expect, it } from 'vitest';
import { eventTime, makeEvent, scheduledEvent } from './envelope.ts';

const context = {
  id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
  time: Date.parse('2026-11-21T10:00:00.123Z'),
  account: '123456789012',
  region: 'eu-west-1',
};

describe('makeEvent', () => {
  it('builds AWS envelope, keys in AWS order, time to the second', () => {
    const event = makeEvent(
      { Source: 'dojo.game', DetailType: 'Virus Created', Detail: '{"id":"v1","x":3}', EventBusName: 'dojo' },
      context,
    );
    expect(event).toEqual({
      version: '0',
      id: context.id,
      'detail-type': 'Virus Created',
      source: 'dojo.game',
      account: '123456789012',
      time: '2026-11-21T10:00:00Z',
      region: 'eu-west-1',
      resources: [],
      detail: { id: 'v1', x: 3 },
    });
    expect(Object.keys(event)).toEqual([
      'version',
      'id',
      'detail-type',
      'source',
      'account',
      'time',
      'region',
      'resources',
      'detail',
    ]);
  });

  it('keeps the resources given', () => {
    const resources = ['arn:aws:dynamodb:eu-west-1:123456789012:table/viruses'];
    expect(
      makeEvent({ Source: 's', DetailType: 'd', Detail: '{}', Resources: resources }, context).resources,
    ).toEqual(resources);
  });

  it("takes the entry's Time, in epoch seconds as on the wire, a Date or an ISO string", () => {
    expect(makeEvent({ Source: 's', DetailType: 'd', Detail: '{}', Time: 1_640_995_200 }, context).time).toBe(
      '2022-01-01T00:00:00Z',
    );
    expect(
      makeEvent(
        { Source: 's', DetailType: 'd', Detail: '{}', Time: new Date('2022-01-01T12:34:56.789Z') },
        context,
      ).time,
    ).toBe('2022-01-01T12:34:56Z');
    expect(makeEvent({ Source: 's', DetailType: 'd', Detail: '{}', Time: '2022-01-01' }, context).time).toBe(
      '2022-01-01T00:00:00Z',
    );
    expect(makeEvent({ Source: 's', DetailType: 'd', Detail: '{}', Time: 'not a time' }, context).time).toBe(
      '2026-11-21T10:00:00Z',
    );
  });
});

describe('scheduledEvent', () => {
  it('is the event a scheduled rule sends: aws.events, Scheduled Event, the rule as resource, empty detail', () => {
    const ruleArn = 'arn:aws:events:eu-west-1:123456789012:rule/dojo-local-createVirus';
    expect(
      scheduledEvent(ruleArn, Date.parse('2026-11-21T10:05:00Z'), {
        id: context.id,
        account: context.account,
        region: context.region,
      }),
    ).toEqual({
      version: '0',
      id: context.id,
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      account: '123456789012',
      time: '2026-11-21T10:05:00Z',
      region: 'eu-west-1',
      resources: [ruleArn],
      detail: {},
    });
  });
});

describe('eventTime', () => {
  it('writes ISO 8601 without milliseconds', () => {
    expect(eventTime(Date.parse('2026-11-21T10:00:59.999Z'))).toBe('2026-11-21T10:00:59Z');
  });
});
