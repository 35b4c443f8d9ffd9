/**
 * Where a virus sits on the board and what it looks like, drawn from its id: the same virus
 * lands on the same spot with the same face on every screen and after every reload.
 */
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

/** mulberry32: a tiny seeded generator, so one hash gives several independent draws. */
function generator(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function virusLook(id: string): VirusLook {
  const next = generator(hash32(id));
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
