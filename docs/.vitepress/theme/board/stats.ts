/** The numbers behind session 4's two charts: how long executions waited, and when viruses arrived. */
import { MAX_WAIT_SECONDS } from './state.ts';

export interface WaitBin {
  label: string;
  count: number;
}

/** Bins of `width` seconds over 1..60 (a 0 s wait joins the first), plus "over 60 s" when any. */
export function waitBins(counts: readonly number[], width = 5): WaitBin[] {
  const bins: WaitBin[] = [];
  for (let from = 1; from <= MAX_WAIT_SECONDS; from += width) {
    const to = Math.min(MAX_WAIT_SECONDS, from + width - 1);
    let count = from === 1 ? (counts[0] ?? 0) : 0;
    for (let s = from; s <= to; s++) count += counts[s] ?? 0;
    bins.push({ label: `${from}–${to} s`, count });
  }
  const over = counts[MAX_WAIT_SECONDS + 1] ?? 0;
  if (over > 0) bins.push({ label: `over ${MAX_WAIT_SECONDS} s`, count: over });
  return bins;
}

/** Mean wait in seconds (longer waits count as 61), or undefined with no data. */
export function waitMean(counts: readonly number[]): number | undefined {
  let n = 0;
  let sum = 0;
  counts.forEach((c, s) => {
    n += c;
    sum += c * s;
  });
  return n ? sum / n : undefined;
}

export interface MinuteRow {
  /** Virtual ms at the start of the minute. */
  start: number;
  /** Second within the minute (0..59, with the fraction) of each arrival. */
  seconds: number[];
}

/** The last `rows` minutes up to `now`, newest first, each with the seconds at which viruses arrived. */
export function minuteRows(arrivals: readonly number[], now: number, rows = 10): MinuteRow[] {
  const current = Math.floor(now / 60_000);
  const out: MinuteRow[] = [];
  for (let i = 0; i < rows; i++) out.push({ start: (current - i) * 60_000, seconds: [] });
  for (const t of arrivals) {
    const index = current - Math.floor(t / 60_000);
    if (index >= 0 && index < rows) out[index].seconds.push((t % 60_000) / 1000);
  }
  return out;
}
