/** A virus on the board. */
export interface Virus {
  id: string;
  /** When it appeared, ISO 8601 in UTC, e.g. `2026-11-21T09:30:00.000Z`. */
  createdAt: string;
}

/** A brand-new virus: a random id, born now. */
export function newVirus(): Virus {
  // TODO 4: return a new virus: `id` a random UUID (randomUUID from 'node:crypto'),
  // `createdAt` the current time in ISO 8601 (new Date().toISOString()).
  throw new Error('TODO 4: build a new virus in lib/virus.ts');
}
