/**
 * mulberry32: a 32-bit PRNG, tiny and good enough to decide which requests fail. `Math.random`
 * cannot be seeded, and a fault run that cannot be replayed cannot be debugged.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 0x1_0000_0000;
  };
}
