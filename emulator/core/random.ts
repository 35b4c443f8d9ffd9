/**
 * The one seeded generator of the kit (mulberry32: 32 bits of state, uniform on [0, 1), period
 * 2^32). Seeded streams make a check replayable: the same seed gives the same draws in a
 * Lambda sandbox's `Math.random`, in `States.MathRandom`, in the checker's request ids and in
 * the board's virus looks. Pure, so the browser can load it too.
 *
 *   const next = mulberry32(42);
 *   next(); // 0.6011037519201636, every time
 */

/** A stream of numbers in [0, 1) from a 32-bit seed (a number outside is taken modulo 2^32). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
