/**
 * How the board writes times, durations, speeds, ids and trace values on screen.
 */
import type { Speed } from './types.ts';

/** Virtual time as HH:MM:SS in UTC: schedules (rate, cron) run in UTC, so the board does too. */
export function clockTime(ms: number): string {
  return Number.isFinite(ms) ? new Date(ms).toISOString().slice(11, 19) : '--:--:--';
}

export function clockDate(ms: number): string {
  return Number.isFinite(ms) ? new Date(ms).toISOString().slice(0, 10) : '';
}

export function duration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return seconds ? `${minutes} min ${seconds} s` : `${minutes} min`;
}

export function speedLabel(speed: Speed): string {
  if (speed === 'paused') return 'paused';
  if (speed === 'max') return 'as fast as possible';
  return `${speed}x`;
}

/** The first block of a UUID is enough to tell viruses apart on screen. */
export function shortId(id: string): string {
  return id.length > 12 ? id.slice(0, 8) : id;
}

/** A value from the trace, on one line, cut to fit. */
export function oneLine(value: unknown, max = 160): string {
  let text: string;
  try {
    text = typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
  } catch {
    text = String(value);
  }
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
