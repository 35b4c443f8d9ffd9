/** Session 5: a dynamic scheduler driven by Schedule Start, Tick and Stop events. */
import { busCaptureResources } from '../../core/bus-capture.ts';
import { unreachableState, type SessionCheckModule } from '../../core/session-check.ts';
import { judge } from './judge.ts';
import { observe } from './observe.ts';
import { WATCHED } from './bus-watch.ts';
import { staticChecks } from './static.ts';

const session5: SessionCheckModule = {
  staticChecks,
  packageHints: [
    {
      match: /State machine "scheduler" definition is invalid/,
      title: 'The scheduler is valid Amazon States Language',
      hint: 'Every Next and Default must name a state that exists, and every state must be reachable from StartAt. Fix state-machines/scheduler.ts.',
      todo: 7,
      explain: (message, dir) => waitField(message) ?? reachable(message, dir),
    },
  ],
  async behaviourChecks(ctx) {
    return judge(await observe(ctx));
  },
  // On AWS nothing records a bus's events: the check captures the ones it watches in a queue.
  checkResources: (template) => busCaptureResources(template, WATCHED),
};

/** A Wait reads a time from the input with TimestampPath; Timestamp is a fixed time written in the definition. */
function waitField(message: string): { hint: string; todo: number } | undefined {
  const field = /\/States\/(\w+)\/(Timestamp|TimestampPath|Seconds|SecondsPath) is invalid/.exec(message);
  if (!field) return undefined;
  const [, state, name] = field;
  const hints: Record<string, string> = {
    Timestamp: `${state}'s Timestamp must be a fixed time such as '2026-11-23T10:00:00Z'; a time read from the input ($.next.at) is TimestampPath: '$.next.at'.`,
    TimestampPath: `${state}'s TimestampPath is a path into the input, such as '$.next.at'; a fixed time would be Timestamp.`,
    Seconds: `${state}'s Seconds must be a fixed whole number; seconds read from the input are SecondsPath, and a time is TimestampPath: '$.next.at'.`,
    SecondsPath: `${state}'s SecondsPath is a path to a number of seconds; to wait until a time read from the input, use TimestampPath: '$.next.at'.`,
  };
  return { hint: hints[name], todo: 7 };
}

/** The scheduler's loop, each state with the one that leads to it and that one's TODO. */
const reachable = unreachableState({
  IsOver: { from: 'NextTime', todo: 7 },
  Done: { from: 'IsOver', todo: 7 },
  WaitUntilNext: { from: 'IsOver', todo: 7 },
  GetSchedule: { from: 'WaitUntilNext', todo: 8 },
  IsStillActive: { from: 'GetSchedule', todo: 8 },
  Stopped: { from: 'IsStillActive', todo: 8 },
  SendTick: { from: 'IsStillActive', todo: 8 },
});

export default session5;
