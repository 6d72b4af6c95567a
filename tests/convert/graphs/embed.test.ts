import { describe, expect, it } from 'vitest';
import { EmbedIO } from '../../../src/bundle/graphContract';
import { buildEmbedGraph, sinusoidTable } from '../../../src/convert/graphs/embed';
import { referenceEmbed } from '../referenceDecoder';
import { int64Feed, maxAbsDiff, memoryReader, randomWeights, runGraph, seededRandom, tinyConfig } from '../tinyCheckpoint';

const config = tinyConfig;
const { numCodebooks: K, codebookSize: V, hiddenSize: d } = config;

function randomIds(seed: number, b: number, t: number): number[] {
  const random = seededRandom(seed);
  // Include the special start token V (one row past the codebook).
  return Array.from({ length: b * K * t }, () => Math.floor(random() * (V + 1)));
}

describe('buildEmbedGraph', () => {
  const weights = randomWeights(config, 21);

  it('sums the codebook embeddings and adds sinusoidal positions from offset 0', async () => {
    const [b, t] = [2, 5];
    const ids = randomIds(1, b, t);
    const bytes = await buildEmbedGraph(memoryReader(weights), config, 'fp32');
    const out = await runGraph(bytes, { [EmbedIO.inputIds]: int64Feed(ids, [b, K, t]), [EmbedIO.positionOffset]: int64Feed([0], [1]) });
    expect(out[EmbedIO.hidden].dims).toEqual([b, t, d]);
    expect(maxAbsDiff(out[EmbedIO.hidden].data, referenceEmbed(weights, config, ids, b, t, 0))).toBeLessThan(1e-4);
  });

  it('starts the positions at position_offset (one cached step at a time)', async () => {
    const bytes = await buildEmbedGraph(memoryReader(weights), config, 'fp32');
    for (const offset of [1, 7, 300]) {
      const ids = randomIds(offset, 3, 1);
      const out = await runGraph(bytes, { [EmbedIO.inputIds]: int64Feed(ids, [3, K, 1]), [EmbedIO.positionOffset]: int64Feed([offset], [1]) });
      expect(maxAbsDiff(out[EmbedIO.hidden].data, referenceEmbed(weights, config, ids, 3, 1, offset)), `offset ${offset}`).toBeLessThan(1e-4);
    }
  });

  it('uses cos for the first half and sin for the second, position 0 = [1.., 0..]', async () => {
    // Zero tables isolate the positional part: at position 0, cos = 1 and sin = 0.
    const zeroWeights = new Map([...weights].map(([name, w]) => [name, { shape: w.shape, data: new Float32Array(w.data.length) }]));
    const bytes = await buildEmbedGraph(memoryReader(zeroWeights), config, 'fp32');
    const out = await runGraph(bytes, { [EmbedIO.inputIds]: int64Feed(new Array(K).fill(0), [1, K, 1]), [EmbedIO.positionOffset]: int64Feed([0], [1]) });
    expect(Array.from(out[EmbedIO.hidden].data)).toEqual([...new Array(d / 2).fill(1), ...new Array(d / 2).fill(0)]);
  });

  it('sinusoid table: position 0 is [1.., 0..]; periods span 1 to 10000 in float32 as audiocraft computes them', () => {
    const table = sinusoidTable(3, 8); // [3, 8], half = 4
    expect(Array.from(table.subarray(0, 8))).toEqual([1, 1, 1, 1, 0, 0, 0, 0]);
    // Position 1: phase = 1 / period; the first period is 1 and the last exactly 10000.
    expect(table[8 + 0]).toBe(Math.fround(Math.cos(1)));
    expect(table[8 + 4 + 3]).toBe(Math.fround(Math.sin(Math.fround(1 / 10000))));
    // Position 2, i = 1: period 10000^(1/3) rounded to float32, phase rounded to float32.
    const period = Math.fround(Math.pow(10000, Math.fround(1 / 3)));
    expect(table[16 + 1]).toBe(Math.fround(Math.cos(Math.fround(2 / period))));
    expect(() => sinusoidTable(3, 7)).toThrow(/even integer/);
  });

  it('fp16 storage rounds only the tables', async () => {
    const ids = randomIds(4, 2, 3);
    const bytes = await buildEmbedGraph(memoryReader(weights), config, 'fp16');
    const out = await runGraph(bytes, { [EmbedIO.inputIds]: int64Feed(ids, [2, K, 3]), [EmbedIO.positionOffset]: int64Feed([2], [1]) });
    // K tables each rounded to ~5e-4 relative on values up to 1.
    expect(maxAbsDiff(out[EmbedIO.hidden].data, referenceEmbed(weights, config, ids, 2, 3, 2))).toBeLessThan(K * 1e-3);
  });
});
