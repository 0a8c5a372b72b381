// Small non-cryptographic hashes the engine shares: the A/B router's key hash (serving/variants.ts)
// and the sketches' value and row hashes (profile/sketches.ts).

/** murmur3's 32-bit finaliser: every input bit moves every output bit. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
