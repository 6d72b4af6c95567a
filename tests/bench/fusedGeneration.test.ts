/**
 * The fused graph (every block, or only the last, + the head) run the bench's way, fed from the
 * engine's KV cache, is the same computation as the per-layer engine: the same seeded generation
 * gives the same tokens.
 */
import { describe, expect, it } from 'vitest';
import { randomCheckpointReader } from '../../src/bench/randomReader';
import { engineGeneration, fusedGeneration, plainRows, randomConditioning } from '../../src/bench/workloads';
import { memoryBundleFiles } from '../../src/bundle/bundleFiles';
import { parseMusicgenConfig } from '../../src/checkpoint/musicgenConfig';
import { convertCheckpoint } from '../../src/convert/convertCheckpoint';
import { buildFusedBlocksGraph } from '../../src/convert/graphs/fusedBlocks';
import { tinyMusicgenConfig } from '../../src/demo/tinyConfig';
import { loadModel } from '../../src/engine/loadedModel';
import type { GenerateResult } from '../../src/engine/types';
import { createRuntime, type Backend } from '../../src/runtime/ort';

const config = parseMusicgenConfig(tinyMusicgenConfig(), 'tiny');

const last = config.numLayers - 1;

describe('fused generation (bench variants fp32-fused and fp32-fused-head)', () => {
  it.each<[Backend, number]>([
    ['node', 0],
    ['wasm', 0],
    ['node', last],
    ['wasm', last],
  ])('generates the same sequence as the per-layer engine on %s, fused from layer %i', async (backend, fusedFrom) => {
    const reader = randomCheckpointReader(config, 5);
    const files = new Map<string, Uint8Array>();
    await convertCheckpoint({ reader, config, dtype: 'fp32', name: 'tiny random', checkpointLabel: 'random', writeFile: async (path, bytes) => void files.set(path, bytes) });
    const fused = await buildFusedBlocksGraph(reader, config, { first: fusedFrom, last, head: true }, 'fp32');
    const runtime = await createRuntime(backend);
    const model = await loadModel(memoryBundleFiles('tiny random', files), runtime);
    const session = await runtime.createSession('fused_blocks_head.onnx', fused);
    try {
      const conditioning = randomConditioning(5, config.textHiddenSize, 5);
      const signal = new AbortController().signal;
      // 40 frames: 43 steps, so the KV cache grows past its first capacity (16 positions) twice.
      const perLayer = (await engineGeneration(model, conditioning, 40, plainRows())(() => {}, signal)) as GenerateResult;
      const steps: number[] = [];
      const fusedSequence = (await fusedGeneration(model, conditioning, 40, { session, from: fusedFrom })(({ step }) => steps.push(step), signal)) as Int32Array;
      expect(steps).toEqual(Array.from({ length: 43 }, (_, i) => i + 1));
      expect(Array.from(fusedSequence)).toEqual(Array.from(perLayer.rows[0].sequence));
      // The same loop without the fused graph (the bench's unfused reference) too.
      const unfused = (await fusedGeneration(model, conditioning, 40, null)(() => {}, signal)) as Int32Array;
      expect(Array.from(unfused)).toEqual(Array.from(perLayer.rows[0].sequence));
    } finally {
      await session.release();
      await model.release();
    }
  });
});
