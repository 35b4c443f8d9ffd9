import { randomUUID } from 'node:crypto';

/** A virus on the board. */
export interface Virus {
  id: string;
  /** When it appeared, ISO 8601 in UTC, e.g. `2026-11-21T09:30:00.000Z`. */
  createdAt: string;
}

/** A brand-new virus: a random id, born now. */
export function newVirus(): Virus {
  return { id: randomUUID(), createdAt: new Date().toISOString() };
}

/** True when `id` can be a virus id: a UUID such as `0b6a3c1e-5f7d-4e2a-9c1b-2d3e4f5a6b7c`. */
export function isVirusId(id: unknown): id is string {
  // TODO 5: answer true only for a string made of 8-4-4-4-12 hexadecimal digits separated by dashes (a UUID).
  throw new Error(`TODO 5: write isVirusId() in lib/virus.ts (asked about ${JSON.stringify(id)})`);
}

/** The viruses sorted newest first (a new array; the argument is left as it was). */
export function newestFirst(viruses: readonly Virus[]): Virus[] {
  // ISO 8601 timestamps written by toISOString() sort as plain strings.
  return [...viruses].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.id.localeCompare(b.id));
}
