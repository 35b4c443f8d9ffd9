/**
 * Where a virus sits on the board and what it looks like, drawn from its id: the same virus
 * lands on the same spot with the same face on every screen and after every reload.
 */
import { mulberry32 } from '../../../../emulator/core/random.ts';

export interface VirusLook {
  /** Centre, in % of the arena's width and height. */
  x: number;
  y: number;
  hue: number;
  /** Diameter in px. */
  size: number;
  spikes: number;
  /** Seconds; desynchronises the wobble of neighbours. */
  delay: number;
  /** Where the eyes look, -1..1. */
  gaze: number;
  grumpy: boolean;
}

/** FNV-1a: small, fast and well spread for short strings such as UUIDs. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function virusLook(id: string): VirusLook {
  // One hash, several independent draws.
  const next = mulberry32(hash32(id));
  // Margins keep a whole virus inside the arena and clear of the score in the corner.
  const x = 7 + next() * 86;
  const y = 12 + next() * 76;
  return {
    x,
    y,
    hue: Math.floor(next() * 360),
    size: 46 + Math.floor(next() * 22),
    spikes: 7 + Math.floor(next() * 4),
    delay: -next() * 3,
    gaze: next() * 2 - 1,
    grumpy: next() < 0.35,
  };
}
