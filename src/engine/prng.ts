/**
 * Seeded pseudo-random numbers: xoshiro128** (Blackman & Vigna) with its state filled by splitmix32.
 * Integer math only (Math.imul, 32-bit shifts), so every platform yields the same stream.
 */

/** What the sampler needs from a random source. */
export interface Rng {
  /** Uniform in [0, 1). */
  nextFloat(): number;
}

const GOLDEN_GAMMA = 0x9e3779b9;
const TWO_POW_32 = 4294967296;
/** The reference jump polynomial: one jump() equals 2^64 calls to next(). */
const JUMP = [0x8764000b, 0xf542d2d3, 0x6fa035c3, 0x77f2db5b];
/** Each stream costs one jump (128 steps) at creation; far more rows than any batch will hold. */
const MAX_STREAM = 1 << 16;

/** splitmix32 finaliser (the 32-bit variant of SplitMix64's mix). */
function mix32(z: number): number {
  z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
  z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
  return (z ^ (z >>> 15)) >>> 0;
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

export class Xoshiro128StarStar implements Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  /** Starts from an explicit 128-bit state (four uint32 words, not all zero). */
  constructor(state: readonly [number, number, number, number]) {
    if (state.length !== 4 || state.some((word) => !Number.isInteger(word) || word < 0 || word > 0xffffffff)) {
      throw new Error(`state must be four uint32 words, got [${state.join(', ')}]`);
    }
    if (state.every((word) => word === 0)) throw new Error('state must not be all zero (xoshiro would only yield zeros)');
    [this.s0, this.s1, this.s2, this.s3] = state.map((word) => word | 0);
  }

  /** Next uint32 of the stream. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Advances the state by 2^64 outputs (the reference jump()), giving a non-overlapping stream. */
  jump(): void {
    let j0 = 0;
    let j1 = 0;
    let j2 = 0;
    let j3 = 0;
    for (const word of JUMP) {
      for (let bit = 0; bit < 32; bit++) {
        if ((word >>> bit) & 1) {
          j0 ^= this.s0;
          j1 ^= this.s1;
          j2 ^= this.s2;
          j3 ^= this.s3;
        }
        this.nextUint32();
      }
    }
    this.s0 = j0;
    this.s1 = j1;
    this.s2 = j2;
    this.s3 = j3;
  }

  /** Uniform in [0, 1) from all 32 bits of one output. */
  nextFloat(): number {
    return this.nextUint32() / TWO_POW_32;
  }
}

/**
 * A generator for `seed` (any safe integer) and `stream` (a non-negative integer, e.g. the row
 * index), so that each generated row gets its own reproducible, non-overlapping stream from the
 * request's seed. splitmix32 seeded with the seed's low 32 bits (the high bits, if any, mixed in)
 * fills the state; then the stream index picks a block of 2^64 outputs through xoshiro's jump().
 */
export function createRng(seed: number, stream = 0): Xoshiro128StarStar {
  if (!Number.isSafeInteger(seed)) throw new Error(`seed must be a safe integer, got ${seed}`);
  if (!Number.isInteger(stream) || stream < 0 || stream > MAX_STREAM) {
    throw new Error(`stream must be an integer in [0, ${MAX_STREAM}], got ${stream}`);
  }
  const seedLow = seed >>> 0; // ToUint32 is exact modulo 2^32 for safe integers, negatives included
  const seedHigh = Math.floor(seed / TWO_POW_32) >>> 0;
  let counter = (seedLow ^ mix32(seedHigh)) | 0; // = seedLow for seeds in [0, 2^32)
  const state: number[] = [];
  for (let i = 0; i < 4; i++) {
    counter = (counter + GOLDEN_GAMMA) | 0;
    state.push(mix32(counter));
  }
  // No 32-bit counter gives four zero outputs in a row that we know of; guard anyway.
  if ((state[0] | state[1] | state[2] | state[3]) === 0) state[0] = 1;
  const rng = new Xoshiro128StarStar(state as [number, number, number, number]);
  for (let i = 0; i < stream; i++) rng.jump();
  return rng;
}
