/** Reading the ticks of an observation, and telling times in messages: shared by the verdicts of both parts. */
import type { Observation } from './observe.ts';
import { clock } from './scenario.ts';

/** The ticks of one schedule id, their times (epoch ms). */
export const ticksOf = (o: Observation, id: string) => o.ticks.get(id) ?? [];
/** When the first Start of a schedule id was put. */
export const startOf = (o: Observation, id: string) => o.startedAt.get(id) ?? o.start;
/** 10:05:00, 10:10:00, … (12): a list of times, for messages. */
export const times = (list: number[], max = 6) =>
  list.length > max
    ? `${list.slice(0, max).map(clock).join(', ')}, … (${list.length})`
    : list.map(clock).join(', ');
/** 42.0 s, or 3.5 min: a duration, for messages. */
export const secondsOrMinutes = (ms: number) =>
  Math.abs(ms) >= 120_000 ? `${(ms / 60_000).toFixed(1)} min` : `${(ms / 1000).toFixed(1)} s`;
