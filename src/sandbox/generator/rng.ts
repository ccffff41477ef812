/**
 * Tiny deterministic randomness. Every conversation gets its own generator seeded from hash(seed, index),
 * so conversation i can be produced on its own, in any order, without generating 0..i-1.
 */

/** 32-bit avalanche mix (murmur3 finaliser): adjacent inputs give unrelated outputs. */
export function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

export function hash2(a: number, b: number): number {
  return mix32(mix32(a ^ 0x9e3779b9) ^ Math.imul(b | 0, 0x27d4eb2d) ^ ((b / 4294967296) | 0));
}

/** mulberry32: fast, small state, good enough for synthetic data. */
export class Rng {
  private _s: number;

  constructor(seed: number) {
    this._s = seed >>> 0;
  }

  u32(): number {
    this._s = (this._s + 0x6d2b79f5) >>> 0;
    let t = this._s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** [0, 1) */
  next(): number {
    return this.u32() / 4294967296;
  }

  /** Integer in [lo, hi] */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** Log-normal-ish positive duration around `median` ms, clamped to [min, max]. */
  duration(median: number, min: number, max: number): number {
    // Sum of three uniforms approximates a normal; exp of it gives the long right tail of real handle times.
    const z = (this.next() + this.next() + this.next() - 1.5) * 2;
    const v = Math.round(median * Math.exp(z * 0.6));
    return Math.max(min, Math.min(max, v));
  }
}

const hex = '0123456789abcdef';

function hex8(n: number): string {
  let s = '';
  for (let i = 7; i >= 0; i--) {
    s += hex[(n >>> (i * 4)) & 15];
  }
  return s;
}

/** A v4-shaped UUID from four 32-bit words. */
export function uuidFromWords(a: number, b: number, c: number, d: number): string {
  const h = hex8(a) + hex8(b) + hex8(c) + hex8(d);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${hex[8 | (c >>> 30)]}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function uuidFrom(rng: Rng): string {
  return uuidFromWords(rng.u32(), rng.u32(), rng.u32(), rng.u32());
}
