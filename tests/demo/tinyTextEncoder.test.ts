import { beforeAll, describe, expect, it } from 'vitest';
import { TextEncoderIO } from '../../src/bundle/graphContract';
import { buildTinyTextEncoder } from '../../src/demo/tinyTextEncoder';
import { createRuntime, type Session } from '../../src/runtime/ort';

const VOCAB = 50;
const D_MODEL = 32;

function int64(values: number[], dims: number[]) {
  return { type: 'int64' as const, data: BigInt64Array.from(values.map(BigInt)), dims };
}

/** Right-pads prompts with id 0 into [b, s] ids and mask. */
function padBatch(prompts: number[][]) {
  const s = Math.max(...prompts.map((p) => p.length));
  const ids = prompts.flatMap((p) => [...p, ...Array(s - p.length).fill(0)]); // [b, s]
  const mask = prompts.flatMap((p) => [...p.map(() => 1), ...Array(s - p.length).fill(0)]); // [b, s]
  return { s, feeds: { [TextEncoderIO.inputIds]: int64(ids, [prompts.length, s]), [TextEncoderIO.attentionMask]: int64(mask, [prompts.length, s]) } };
}

describe('buildTinyTextEncoder', () => {
  let session: Session;
  const encode = async (prompts: number[][]) => {
    const { s, feeds } = padBatch(prompts);
    const out = (await session.run(feeds))[TextEncoderIO.lastHiddenState];
    if (out.type !== 'float32') throw new Error('expected float32 states');
    return { s, dims: out.dims, states: out.data };
  };
  /** States of row r, token i: [D]. */
  const at = (states: Float32Array, s: number, r: number, i: number) => states.slice((r * s + i) * D_MODEL, (r * s + i + 1) * D_MODEL);

  beforeAll(async () => {
    session = await (await createRuntime('node')).createSession('tiny text encoder', buildTinyTextEncoder(7, VOCAB, D_MODEL));
  });

  it('has the Xenova text_encoder contract: input_ids, attention_mask -> last_hidden_state', () => {
    expect([...session.inputNames].sort()).toEqual([TextEncoderIO.attentionMask, TextEncoderIO.inputIds].sort());
    expect(session.outputNames).toEqual([TextEncoderIO.lastHiddenState]);
  });

  it('returns [b, s, dModel] for a padded batch of two, zero at padding, finite elsewhere', async () => {
    const { s, dims, states } = await encode([
      [4, 9, 13, 1],
      [5, 1],
    ]);
    expect(dims).toEqual([2, 4, D_MODEL]);
    expect(states.every(Number.isFinite)).toBe(true);
    expect(at(states, s, 1, 2).every((v) => v === 0)).toBe(true);
    expect(at(states, s, 1, 3).every((v) => v === 0)).toBe(true);
    expect(at(states, s, 1, 1).some((v) => v !== 0)).toBe(true);
  });

  it('gives a row the same states whatever padding or batch neighbours it has', async () => {
    const alone = await encode([[5, 1]]);
    const batched = await encode([[4, 9, 13, 1], [5, 1]]);
    for (let i = 0; i < 2; i++) {
      const a = at(alone.states, alone.s, 0, i);
      const b = at(batched.states, batched.s, 1, i);
      a.forEach((v, j) => expect(b[j]).toBeCloseTo(v, 5));
    }
  });

  it('makes every state depend on the whole prompt: same token, different prompt, different state', async () => {
    const { s, states } = await encode([
      [4, 9, 13, 1],
      [4, 10, 13, 1],
    ]);
    const firstTokenA = at(states, s, 0, 0);
    const firstTokenB = at(states, s, 1, 0);
    const difference = firstTokenA.reduce((a, v, j) => a + Math.abs(v - firstTokenB[j]), 0);
    expect(difference).toBeGreaterThan(1e-2);
  });

  it('is deterministic per seed and differs across seeds', () => {
    expect(buildTinyTextEncoder(7, VOCAB, D_MODEL)).toEqual(buildTinyTextEncoder(7, VOCAB, D_MODEL));
    expect(buildTinyTextEncoder(8, VOCAB, D_MODEL)).not.toEqual(buildTinyTextEncoder(7, VOCAB, D_MODEL));
  });
});
