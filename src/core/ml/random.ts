// Seeded randomness for the engine: the same seed gives the same split, folds and models.
export { Mulberry32, rng } from '../profile/stats';

/** Fisher-Yates shuffle in place with a seeded generator. */
export function shuffle<T extends { length: number; [i: number]: number }>(a: T, rand: () => number): T {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
  return a;
}
