/**
 * A fused run of blocks is the same computation as the per-layer graphs it replaces: the same
 * logits (or residual) and the same new K/V per layer, from the same inputs and cached prefix.
 */
import { describe, expect, it } from 'vitest';
import { BLOCK_MODULES, BlockIO, HeadIO, MASKED } from '../../../src/bundle/graphContract';
import { buildBlockGraph } from '../../../src/convert/graphs/block';
import { buildFusedBlocksGraph, FusedIO, type FusedRun } from '../../../src/convert/graphs/fusedBlocks';
import { buildHeadGraph } from '../../../src/convert/graphs/head';
import { createRuntime } from '../../../src/runtime/ort';
import { causalBias } from '../referenceDecoder';
import { floatFeed, maxAbsDiff, memoryReader, randomArray, randomWeights, runGraph, seededRandom, tinyConfig, type Feed } from '../tinyCheckpoint';

const config = tinyConfig;
const { hiddenSize: d, numHeads: h, headDim: hd, numLayers: L, numCodebooks: K, codebookSize: V } = config;
const weights = randomWeights(config, 41);
const TOLERANCE = 1e-5;

interface StepInputs {
  b: number;
  t: number;
  p: number;
  s: number;
  residPre: Float32Array; // [b, t, d]
  pastKeys: Float32Array[]; // per layer [p, b, h, hd]
  pastValues: Float32Array[]; // per layer [p, b, h, hd]
  crossKeys: Float32Array[]; // per layer [b, h, s, hd]
  crossValues: Float32Array[]; // per layer [b, h, s, hd]
  selfAttnBias: Float32Array; // [b, 1, t, p+t]
  crossAttnBias: Float32Array; // [b, 1, 1, s]
}

/** Random inputs of one decoder call; the last text token of the last row is padding. */
function stepInputs(seed: number, b: number, t: number, p: number, s: number): StepInputs {
  const random = seededRandom(seed);
  const perLayer = (size: number) => Array.from({ length: L }, () => randomArray(random, size));
  const crossAttnBias = new Float32Array(b * s);
  crossAttnBias[b * s - 1] = MASKED;
  return {
    b, t, p, s,
    residPre: randomArray(random, b * t * d, 2),
    pastKeys: perLayer(p * b * h * hd),
    pastValues: perLayer(p * b * h * hd),
    crossKeys: perLayer(b * h * s * hd),
    crossValues: perLayer(b * h * s * hd),
    selfAttnBias: causalBias(b, t, p),
    crossAttnBias,
  };
}

/** The engine's way: one block graph per layer (neutral patches), then the head graph. */
async function perLayer(x: StepInputs, run: FusedRun) {
  const { b, t, p, s } = x;
  let resid = x.residPre; // [b, t, d]
  const newKeys: Float32Array[] = [];
  const newValues: Float32Array[] = [];
  for (let layer = run.first; layer <= run.last; layer++) {
    const feeds: Record<string, Feed> = {
      [BlockIO.residPre]: floatFeed(resid, [b, t, d]),
      [BlockIO.pastKey]: floatFeed(x.pastKeys[layer], [p, b, h, hd]),
      [BlockIO.pastValue]: floatFeed(x.pastValues[layer], [p, b, h, hd]),
      [BlockIO.selfAttnBias]: floatFeed(x.selfAttnBias, [b, 1, t, p + t]),
      [BlockIO.crossKey]: floatFeed(x.crossKeys[layer], [b, h, s, hd]),
      [BlockIO.crossValue]: floatFeed(x.crossValues[layer], [b, h, s, hd]),
      [BlockIO.crossAttnBias]: floatFeed(x.crossAttnBias, [b, 1, 1, s]),
    };
    for (const module of BLOCK_MODULES) {
      feeds[BlockIO.keep(module)] = floatFeed(new Float32Array(b * t * d).fill(1), [b, t, d]);
      feeds[BlockIO.add(module)] = floatFeed(new Float32Array(b * t * d), [b, t, d]);
    }
    const out = await runGraph(await buildBlockGraph(memoryReader(weights), config, layer, 'fp32'), feeds);
    newKeys.push(out[BlockIO.newKey].data); // [t, b, h, hd]
    newValues.push(out[BlockIO.newValue].data);
    resid = out[BlockIO.residPost].data;
  }
  const head = run.head ? await runGraph(await buildHeadGraph(memoryReader(weights), config, 'fp32'), { [HeadIO.resid]: floatFeed(resid, [b, t, d]) }) : undefined;
  return { resid, logits: head?.[HeadIO.logits].data, newKeys, newValues };
}

async function fused(x: StepInputs, run: FusedRun) {
  const { b, t, p, s } = x;
  const feeds: Record<string, Feed> = {
    [FusedIO.residPre]: floatFeed(x.residPre, [b, t, d]),
    [FusedIO.selfAttnBias]: floatFeed(x.selfAttnBias, [b, 1, t, p + t]),
    [FusedIO.crossAttnBias]: floatFeed(x.crossAttnBias, [b, 1, 1, s]),
  };
  for (let layer = run.first; layer <= run.last; layer++) {
    feeds[FusedIO.pastKey(layer)] = floatFeed(x.pastKeys[layer], [p, b, h, hd]);
    feeds[FusedIO.pastValue(layer)] = floatFeed(x.pastValues[layer], [p, b, h, hd]);
    feeds[FusedIO.crossKey(layer)] = floatFeed(x.crossKeys[layer], [b, h, s, hd]);
    feeds[FusedIO.crossValue(layer)] = floatFeed(x.crossValues[layer], [b, h, s, hd]);
  }
  return runGraph(await buildFusedBlocksGraph(memoryReader(weights), config, run, 'fp32'), feeds);
}

describe('buildFusedBlocksGraph', () => {
  it.each([
    ['the first step (empty cache), batch 2', 2, 1, 0],
    ['a later step, batch 2', 2, 1, 5],
    ['several new positions (teacher forcing), batch 3', 3, 4, 2],
  ])('gives the per-layer logits and new K/V for every block + the head: %s', async (_, b, t, p) => {
    const run: FusedRun = { first: 0, last: L - 1, head: true };
    const x = stepInputs(7 + p, b, t, p, 3);
    const expected = await perLayer(x, run);
    const actual = await fused(x, run);
    expect(actual[FusedIO.logits].dims).toEqual([b, K, t, V]);
    expect(maxAbsDiff(actual[FusedIO.logits].data, expected.logits!)).toBeLessThan(TOLERANCE);
    for (let layer = 0; layer < L; layer++) {
      expect(actual[FusedIO.newKey(layer)].dims).toEqual([t, b, h, hd]);
      expect(maxAbsDiff(actual[FusedIO.newKey(layer)].data, expected.newKeys[layer]), `new_key_${layer}`).toBeLessThan(TOLERANCE);
      expect(maxAbsDiff(actual[FusedIO.newValue(layer)].data, expected.newValues[layer]), `new_value_${layer}`).toBeLessThan(TOLERANCE);
      // The present is the past followed by the new positions, as in a block graph.
      const present = actual[FusedIO.presentKey(layer)];
      expect(present.dims).toEqual([p + t, b, h, hd]);
      expect(Array.from(present.data.subarray(0, x.pastKeys[layer].length))).toEqual(Array.from(x.pastKeys[layer]));
    }
  });

  it('fuses a run in the middle of the model, without the head: the residual out of its last layer', async () => {
    const run: FusedRun = { first: 1, last: 2, head: false };
    const x = stepInputs(3, 2, 1, 4, 3);
    const expected = await perLayer(x, run);
    const actual = await fused(x, run);
    expect(actual[FusedIO.residPost].dims).toEqual([2, 1, d]);
    expect(maxAbsDiff(actual[FusedIO.residPost].data, expected.resid)).toBeLessThan(TOLERANCE);
    expect(maxAbsDiff(actual[FusedIO.newKey(2)].data, expected.newKeys[1])).toBeLessThan(TOLERANCE);
    expect(actual[FusedIO.logits]).toBeUndefined();
    expect(actual[FusedIO.newKey(0)]).toBeUndefined();
  });

  it('has no hook inputs or outputs, and holds each weight once', async () => {
    const run: FusedRun = { first: 0, last: L - 1, head: true };
    const bytes = await buildFusedBlocksGraph(memoryReader(weights), config, run, 'fp32');
    const session = await (await createRuntime('node')).createSession('fused', bytes);
    try {
      expect(session.inputNames.some((name) => name.endsWith('_keep') || name.endsWith('_add'))).toBe(false);
      expect(session.outputNames.some((name) => BLOCK_MODULES.some((module) => name === BlockIO.moduleOut(module)))).toBe(false);
      expect(session.inputNames.filter((name) => name.startsWith('past_key_'))).toHaveLength(L);
      expect(session.outputNames).toEqual(expect.arrayContaining([FusedIO.logits, FusedIO.normalized, FusedIO.newKey(L - 1)]));
    } finally {
      await session.release();
    }
    // Its bytes are the blocks' and the head's weights once each (graph structure aside).
    let parts = (await buildHeadGraph(memoryReader(weights), config, 'fp32')).byteLength;
    for (let layer = 0; layer < L; layer++) parts += (await buildBlockGraph(memoryReader(weights), config, layer, 'fp32')).byteLength;
    expect(bytes.byteLength).toBeLessThan(parts);
    expect(bytes.byteLength).toBeGreaterThan(0.8 * parts);
  });

  it('refuses a run that is not one: reversed, out of range, or a head after a middle layer', async () => {
    const reader = memoryReader(weights);
    await expect(buildFusedBlocksGraph(reader, config, { first: 2, last: 1, head: false }, 'fp32')).rejects.toThrow('are not a run');
    await expect(buildFusedBlocksGraph(reader, config, { first: 0, last: L, head: false }, 'fp32')).rejects.toThrow(`layer ${L} does not exist`);
    await expect(buildFusedBlocksGraph(reader, config, { first: 0, last: 1, head: true }, 'fp32')).rejects.toThrow(`the head follows layer ${L - 1}`);
  });
});
