import { randomUUID } from 'node:crypto';

/** A virus on the board. */
export interface Virus {
  id: string;
  /** When it appeared, ISO 8601 in UTC, e.g. `2026-11-21T09:30:00.000Z`. */
  createdAt: string;
}

/** A brand-new virus, born now. Its id is the one given, or a random UUID. */
export function newVirus(id: string = randomUUID()): Virus {
  return { id, createdAt: new Date().toISOString() };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True when `id` can be a virus id: a UUID such as `0b6a3c1e-5f7d-4e2a-9c1b-2d3e4f5a6b7c`. */
export function isVirusId(id: unknown): id is string {
  return typeof id === 'string' && UUID.test(id);
}

/** The viruses sorted newest first (a new array; the argument is left as it was). */
export function newestFirst(viruses: readonly Virus[]): Virus[] {
  // ISO 8601 timestamps written by toISOString() sort as plain strings.
  return [...viruses].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.id.localeCompare(b.id));
}
