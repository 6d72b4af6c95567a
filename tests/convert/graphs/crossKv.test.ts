import { describe, expect, it } from 'vitest';
import { CrossKvIO } from '../../../src/bundle/graphContract';
import { buildCrossKvGraph, planCrossKvRanges } from '../../../src/convert/graphs/crossKv';
import { referenceCrossKv } from '../referenceDecoder';
import { floatFeed, maxAbsDiff, memoryReader, randomArray, randomWeights, runGraph, seededRandom, tinyConfig } from '../tinyCheckpoint';

const config = tinyConfig;
const { textHiddenSize: textD, numHeads: h, headDim: hd, numLayers } = config;

describe('buildCrossKvGraph', () => {
  const weights = randomWeights(config, 41);
  const [b, s] = [2, 5];
  const states = randomArray(seededRandom(1), b * s * textD, 2);
  const mask = Float32Array.from([1, 1, 1, 1, 1, 1, 1, 1, 0, 0]); // row 1 has two padding tokens
  const expected = referenceCrossKv(weights, config, states, mask, b, s);
  const feeds = { [CrossKvIO.encoderHiddenStates]: floatFeed(states, [b, s, textD]), [CrossKvIO.encoderAttentionMask]: floatFeed(mask, [b, s]) };

  it('projects, masks and splits K/V into heads for every covered layer', async () => {
    const out = await runGraph(await buildCrossKvGraph(memoryReader(weights), config, { firstLayer: 0, lastLayer: numLayers }, 'fp32'), feeds);
    expect(Object.keys(out).sort()).toEqual([0, 1, 2].flatMap((l) => [CrossKvIO.key(l), CrossKvIO.value(l)]).sort());
    for (let l = 0; l < numLayers; l++) {
      expect(out[CrossKvIO.key(l)].dims).toEqual([b, h, s, hd]);
      expect(maxAbsDiff(out[CrossKvIO.key(l)].data, expected[l].key), `key ${l}`).toBeLessThan(1e-4);
      expect(maxAbsDiff(out[CrossKvIO.value(l)].data, expected[l].value), `value ${l}`).toBeLessThan(1e-4);
    }
  });

  it('zeroes padded tokens after the projection (its bias included)', async () => {
    const out = await runGraph(await buildCrossKvGraph(memoryReader(weights), config, { firstLayer: 1, lastLayer: 2 }, 'fp32'), feeds);
    const key = out[CrossKvIO.key(1)].data; // [b, h, s, hd]
    for (let head = 0; head < h; head++) {
      for (const j of [3, 4]) expect(Array.from(key.subarray(((1 * h + head) * s + j) * hd, ((1 * h + head) * s + j + 1) * hd))).toEqual(new Array(hd).fill(0));
    }
    expect(Object.keys(out).sort()).toEqual([CrossKvIO.key(1), CrossKvIO.value(1)].sort());
  });

  it('rejects an empty or out-of-range layer range', async () => {
    await expect(buildCrossKvGraph(memoryReader(weights), config, { firstLayer: 2, lastLayer: 2 }, 'fp32')).rejects.toThrow(/layer range \[2, 2\)/);
    await expect(buildCrossKvGraph(memoryReader(weights), config, { firstLayer: 0, lastLayer: 4 }, 'fp32')).rejects.toThrow(/\[0, 3\)/);
  });
});

describe('planCrossKvRanges', () => {
  const big = { ...config, hiddenSize: 1024, textHiddenSize: 768, numLayers: 48 };
  const shared = 4 * (1024 * 768 + 1024);
  const perLayer = 4 * 2 * 1024 * 1024;

  it('keeps everything in one graph when it fits', () => {
    expect(planCrossKvRanges(config, 'fp32')).toEqual([{ firstLayer: 0, lastLayer: numLayers }]);
    expect(planCrossKvRanges(big, 'fp32')).toEqual([{ firstLayer: 0, lastLayer: 48 }]);
  });

  it('splits into contiguous ranges whose weights stay under the limit, depending on dtype', () => {
    const limit = shared + 20 * perLayer; // 20 fp32 layers, 40 fp16 layers per graph
    expect(planCrossKvRanges(big, 'fp32', limit)).toEqual([
      { firstLayer: 0, lastLayer: 20 },
      { firstLayer: 20, lastLayer: 40 },
      { firstLayer: 40, lastLayer: 48 },
    ]);
    expect(planCrossKvRanges(big, 'fp16', limit)).toEqual([
      { firstLayer: 0, lastLayer: 40 },
      { firstLayer: 40, lastLayer: 48 },
    ]);
  });

  it('refuses a limit below one layer', () => {
    expect(() => planCrossKvRanges(big, 'fp32', perLayer)).toThrow(/maxGraphBytes .* too small/);
  });
});

