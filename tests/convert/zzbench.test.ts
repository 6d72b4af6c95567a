import { it } from 'vitest';
import { buildBlockGraph } from '../../src/convert/graphs/block';
import { memoryReader, randomWeights, tinyConfig } from '../../tests/convert/tinyCheckpoint';
it('real-size block', async () => {
  const cfg = { ...tinyConfig, hiddenSize: 1024, numHeads: 16, headDim: 64, ffnDim: 4096, numLayers: 1, codebookSize: 2048, textHiddenSize: 768 };
  const w = randomWeights(cfg, 1);
  const t0 = performance.now();
  const bytes = await buildBlockGraph(memoryReader(w), cfg, 0, 'fp32');
  const t1 = performance.now();
  const bytes16 = await buildBlockGraph(memoryReader(w), cfg, 0, 'fp16');
  console.log('BENCH', bytes.byteLength, (t1 - t0).toFixed(0), 'ms', bytes16.byteLength, (performance.now() - t1).toFixed(0), 'ms', process.memoryUsage().rss / 1e6);
});
