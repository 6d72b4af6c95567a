import { describe, expect, it } from 'vitest';
import { HeadIO } from '../../../src/bundle/graphContract';
import { buildHeadGraph } from '../../../src/convert/graphs/head';
import { referenceHead } from '../referenceDecoder';
import { floatFeed, maxAbsDiff, memoryReader, randomArray, randomWeights, runGraph, seededRandom, tinyConfig } from '../tinyCheckpoint';

const config = tinyConfig;
const { numCodebooks: K, codebookSize: V, hiddenSize: d } = config;

describe('buildHeadGraph', () => {
  const weights = randomWeights(config, 31);

  it('applies the final layer norm and stacks the K lm heads into [b, K, t, V]', async () => {
    const [b, t] = [2, 3];
    const resid = randomArray(seededRandom(1), b * t * d, 3);
    const out = await runGraph(await buildHeadGraph(memoryReader(weights), config, 'fp32'), { [HeadIO.resid]: floatFeed(resid, [b, t, d]) });
    const expected = referenceHead(weights, config, resid, b, t);
    expect(out[HeadIO.normalized].dims).toEqual([b, t, d]);
    expect(out[HeadIO.logits].dims).toEqual([b, K, t, V]);
    expect(maxAbsDiff(out[HeadIO.normalized].data, expected.normalized)).toBeLessThan(1e-4);
    expect(maxAbsDiff(out[HeadIO.logits].data, expected.logits)).toBeLessThan(1e-4);
  });

  it('gives codebook k the logits of lm_heads.k only', async () => {
    // Zero every head but codebook 2: only its slice of the logits may be non-zero.
    const onlyTwo = new Map(weights);
    for (let k = 0; k < K; k++) {
      if (k !== 2) onlyTwo.set(`decoder.lm_heads.${k}.weight`, { shape: [V, d], data: new Float32Array(V * d) });
    }
    const resid = randomArray(seededRandom(2), d, 3);
    const out = await runGraph(await buildHeadGraph(memoryReader(onlyTwo), config, 'fp32'), { [HeadIO.resid]: floatFeed(resid, [1, 1, d]) });
    const logits = out[HeadIO.logits].data; // [1, K, 1, V]
    for (let k = 0; k < K; k++) {
      const slice = Array.from(logits.subarray(k * V, (k + 1) * V));
      if (k === 2) expect(slice.some((v) => Math.abs(v) > 1e-3)).toBe(true);
      else expect(slice.every((v) => v === 0)).toBe(true);
    }
  });
});
