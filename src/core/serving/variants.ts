// A/B serving: several bundles behind one server, each request sent to one of them by a
// deterministic hash of a key (a field of the request's first row, or a header of that name, else
// the request id), so that a user keeps seeing one variant. `--split B=0.1` gives B a tenth of the
// key space; the first variant takes what the others leave. The variants must read the same input
// and do the same task, or one request could be valid for A and refused by B.
import { fmix32 } from '../hash';
import type { Predictor } from './predictor';

export interface Variant {
  name: string;
  /** Its share of the key space, in (0, 1]. */
  share: number;
  predictor: Predictor;
}

/**
 * 32-bit FNV-1a of a string's UTF-16 code units, then MurmurHash3's finaliser: cheap, stable across
 * runs and machines. FNV-1a alone sent 57% of the ids r0 … r1308 to one half of a 50/50 split (its
 * high bits barely move when only the last character does); the finaliser spreads every bit.
 */
export function routingHash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return fmix32(h);
}

/** "B=0.1,C=0.2" (or several --split values) → shares by name; the first model's is the rest. */
export function parseSplit(names: string[], splits: string[]): Map<string, number> {
  const shares = new Map<string, number>();
  for (const part of splits.flatMap((s) => s.split(',')).filter(Boolean)) {
    const m = /^([^=]+)=(\d*\.?\d+)$/.exec(part.trim());
    if (!m) throw new Error(`--split takes NAME=SHARE, e.g. B=0.1 (got "${part}")`);
    if (!names.includes(m[1])) throw new Error(`--split names "${m[1]}", which is not a --model (${names.join(', ')})`);
    if (m[1] === names[0]) throw new Error(`--split: ${names[0]}, the first model, takes the share the others leave; give the others'`);
    const share = Number(m[2]);
    if (!(share > 0 && share < 1)) throw new Error(`--split ${m[1]}=${m[2]}: a share is between 0 and 1`);
    shares.set(m[1], share);
  }
  // Models without a share split what is left evenly with the first.
  const given = [...shares.values()].reduce((s, v) => s + v, 0);
  if (given >= 1) throw new Error(`--split: the shares add up to ${given}, leaving nothing for ${names[0]}`);
  const rest = names.filter((n) => !shares.has(n));
  for (const n of rest) shares.set(n, (1 - given) / rest.length);
  return new Map(names.map((n) => [n, shares.get(n)!]));
}

export class VariantRouter {
  constructor(readonly variants: Variant[], readonly key?: string) {
    const [first, ...others] = variants;
    for (const v of others) {
      if (v.predictor.task !== first.predictor.task) throw new Error(`variants ${first.name} and ${v.name} do different tasks (${first.predictor.task}, ${v.predictor.task})`);
      const a = first.predictor.fields.map((f) => `${f.name}:${f.kind}`).sort().join(', '), b = v.predictor.fields.map((f) => `${f.name}:${f.kind}`).sort().join(', ');
      if (a !== b) throw new Error(`variants ${first.name} and ${v.name} read different inputs (${a}; ${b}): a request must fit both`);
    }
  }

  /** One model: no variants to name. */
  static single(predictor: Predictor): VariantRouter {
    return new VariantRouter([{ name: '', share: 1, predictor }]);
  }

  get isAB(): boolean {
    return this.variants.length > 1;
  }

  get primary(): Predictor {
    return this.variants[0].predictor;
  }

  /** The key a request is routed by: the key field of its first row, else the header of that name, else the request id. */
  keyOf(requestId: string, firstRow: unknown, header: (name: string) => string | undefined): string {
    if (this.key) {
      const v = firstRow && typeof firstRow === 'object' ? (firstRow as Record<string, unknown>)[this.key] : undefined;
      if (v !== undefined && v !== null && v !== '') return String(v);
      const h = header(this.key);
      if (h) return h;
    }
    return requestId;
  }

  /** The variant whose slice of [0, 1) the key's hash falls in. */
  choose(key: string): Variant {
    if (!this.isAB) return this.variants[0];
    const u = routingHash(key) / 2 ** 32;
    let edge = 0;
    for (const v of this.variants) {
      edge += v.share;
      if (u < edge) return v;
    }
    return this.variants[this.variants.length - 1];
  }
}
