/**
 * Deterministic random numbers for the tiny demo model's weights.
 *
 * xoshiro128** (32-bit integer math via Math.imul, so every JS engine produces the same bits)
 * seeded through splitmix32, with Box-Muller for normals. Each tensor gets its own stream from
 * `(seed, label)`, so adding or reordering tensors never changes the others.
 */
import { Xoshiro128StarStar } from '../engine/prng';

/** splitmix32 step: a good 32-bit mixer for turning any integer into well-spread state. */
function splitmix32(state: number): number {
  let z = (state + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** FNV-1a hash of a string's UTF-16 code units, mixed with a numeric seed. */
export function deriveSeed(seed: number, label: string): number {
  let h = (0x811c9dc5 ^ splitmix32(seed >>> 0)) >>> 0;
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return splitmix32(h);
}

export class SeededRandom {
  /** The bit source: the engine's xoshiro128**, seeded here per (seed, label). */
  private bits: Xoshiro128StarStar;
  /** Box-Muller yields normals in pairs; the second one waits here. */
  private spareNormal: number | null = null;

  /** `label` names the stream (e.g. a tensor name) so streams with the same seed differ. */
  constructor(seed: number, label = '') {
    let state = deriveSeed(seed, label);
    const next = () => (state = splitmix32(state));
    const words: [number, number, number, number] = [next(), next(), next(), next()];
    if (words.every((word) => word === 0)) words[0] = 1; // the all-zero state is a fixed point
    this.bits = new Xoshiro128StarStar(words);
  }

  /** A generator started from raw xoshiro128** state words (to check against reference outputs). */
  static fromState(state: readonly [number, number, number, number]): SeededRandom {
    const random = new SeededRandom(0);
    random.bits = new Xoshiro128StarStar(state.map((word) => word >>> 0) as [number, number, number, number]);
    return random;
  }

  /** Next 32-bit unsigned integer (xoshiro128**). */
  nextUint32(): number {
    return this.bits.nextUint32();
  }

  /** Uniform in [0, 1) with 53 random bits. */
  uniform(): number {
    const high = this.nextUint32() >>> 5; // 27 bits
    const low = this.nextUint32() >>> 6; // 26 bits
    return (high * 67108864 + low) / 9007199254740992;
  }

  /** Uniform in [low, high). */
  uniformIn(low: number, high: number): number {
    return low + (high - low) * this.uniform();
  }

  /** Standard normal (Box-Muller, both values of each pair used). */
  normal(): number {
    if (this.spareNormal !== null) {
      const spare = this.spareNormal;
      this.spareNormal = null;
      return spare;
    }
    const u1 = 1 - this.uniform(); // (0, 1]: log stays finite
    const u2 = this.uniform();
    const radius = Math.sqrt(-2 * Math.log(u1));
    const angle = 2 * Math.PI * u2;
    this.spareNormal = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  }

  /** `count` normals with the given mean and standard deviation, rounded to float32. */
  normalArray(count: number, std: number, mean = 0): Float32Array {
    const out = new Float32Array(count);
    for (let i = 0; i < count; i++) out[i] = mean + std * this.normal();
    return out;
  }

  /** `count` uniforms in [low, high), rounded to float32. */
  uniformArray(count: number, low: number, high: number): Float32Array {
    const out = new Float32Array(count);
    for (let i = 0; i < count; i++) out[i] = this.uniformIn(low, high);
    return out;
  }
}

