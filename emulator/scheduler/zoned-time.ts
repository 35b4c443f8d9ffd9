/**
 * Wall-clock time in an IANA time zone, for schedules evaluated in a zone.
 *
 * A "wall" time is the clock reading in the zone written as if it were UTC epoch ms (so the
 * calendar arithmetic of aws-cron.ts, which works in UTC, works on it unchanged):
 *
 *   toWall(Date.parse('2026-03-08T07:30:00Z'), 'America/New_York') // Date.UTC(2026, 2, 8, 3, 30)
 *   fromWall(Date.UTC(2026, 2, 8, 2, 30), 'America/New_York')      // undefined: 02:30 never happens that day
 *   fromWall(Date.UTC(2026, 10, 1, 1, 30), 'America/New_York')     // the first of the two 01:30s
 *
 * Zones are checked with `isTimeZone` (what Intl knows: the IANA database Node ships with).
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

export function isTimeZone(zone: string): boolean {
  try {
    formatter(zone);
    return true;
  } catch {
    return false;
  }
}

/** The clock reading in `zone` at the instant `ms`, as UTC epoch ms. */
export function toWall(ms: number, zone: string): number {
  const parts: Record<string, number> = {};
  for (const part of formatter(zone).formatToParts(new Date(ms)))
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  const wholeSeconds = Date.UTC(
    parts.year,
    parts.month - 1,
    parts.day,
    parts.hour,
    parts.minute,
    parts.second,
  );
  return wholeSeconds + (((ms % 1000) + 1000) % 1000);
}

/**
 * The instant at which the clocks of `zone` read `wall`: the earlier one when the reading
 * happens twice (the hour repeated when clocks go back), undefined when it never happens (the
 * hour skipped when they go forward).
 */
export function fromWall(wall: number, zone: string): number | undefined {
  // Offsets in force half a day either side: no zone changes its offset twice within a day.
  const offsets = new Set([offsetAt(wall - HALF_DAY, zone), offsetAt(wall + HALF_DAY, zone)]);
  const instants = [...offsets]
    .map((offset) => wall - offset)
    .filter((instant) => toWall(instant, zone) === wall);
  return instants.length ? Math.min(...instants) : undefined;
}

const HALF_DAY = 12 * 3_600_000;

function offsetAt(ms: number, zone: string): number {
  return toWall(ms, zone) - ms;
}

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}
