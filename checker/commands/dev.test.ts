import { describe, expect, it } from 'vitest';
import { formatEntry } from './dev.ts';

const at = Date.parse('2026-11-21T08:00:00Z');

describe('the live log of npm run dev', () => {
  it('shows a Scheduler firing with its group, expression and zone', () => {
    expect(
      formatEntry({
        seq: 1,
        time: at,
        kind: 'scheduler.fire',
        schedule: 'morning',
        group: 'default',
        scheduleArn: 'arn:aws:scheduler:eu-west-1:123456789012:schedule/default/morning',
        expression: 'cron(0 9 * * ? *)',
        timezone: 'Europe/Paris',
        scheduledTime: '2026-11-21T08:00:00.000Z',
        target: 'arn:aws:lambda:eu-west-1:123456789012:function:f',
      }),
    ).toBe('08:00:00 ⏰ schedule default/morning (cron(0 9 * * ? *) Europe/Paris)');
  });

  it('says when a schedule could not invoke its target, and when it deleted itself', () => {
    expect(
      formatEntry({
        seq: 2,
        time: at,
        kind: 'scheduler.error',
        schedule: 's',
        group: 'g',
        target: 'arn:aws:lambda:eu-west-1:123456789012:function:f',
        error: 'the role does not allow lambda:InvokeFunction',
      }),
    ).toBe(
      '08:00:00 ✖ schedule g/s could not invoke its target: the role does not allow lambda:InvokeFunction',
    );
    expect(
      formatEntry({
        seq: 3,
        time: at,
        kind: 'scheduler.complete',
        schedule: 'once',
        group: 'g',
        scheduleArn: 'arn:aws:scheduler:eu-west-1:123456789012:schedule/g/once',
        deleted: true,
      }),
    ).toBe('08:00:00 ⏰ schedule g/once completed and was deleted (ActionAfterCompletion DELETE)');
  });

  it('says an event put on a bus that does not exist reaches no rule', () => {
    expect(
      formatEntry({
        seq: 4,
        time: at,
        kind: 'events.put',
        source: 's',
        detailType: 'd',
        bus: 'nope',
        eventId: 'e-1',
        detail: {},
        noSuchBus: true,
      }),
    ).toBe('08:00:00 📨 d from s on nope (no bus named nope: AWS accepts the event and no rule sees it)');
  });
});
