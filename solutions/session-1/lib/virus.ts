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
