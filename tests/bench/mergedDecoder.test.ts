/**
 * The merged decoder graph (benchmark baseline) is the same computation as the bundle's per-layer
 * graphs: the same seeded generation gives the same tokens through either.
 */
import { describe, expect, it } from 'vitest';
import { randomCheckpointReader } from '../../src/bench/randomReader';
import { engineGeneration, mergedGeneration, plainRows, randomConditioning } from '../../src/bench/workloads';
import { memoryBundleFiles } from '../../src/bundle/bundleFiles';
import { parseMusicgenConfig } from '../../src/checkpoint/musicgenConfig';
import { convertCheckpoint } from '../../src/convert/convertCheckpoint';
import { buildMergedDecoderGraph } from '../../src/convert/graphs/mergedDecoder';
import { tinyMusicgenConfig } from '../../src/demo/tinyConfig';
import { loadModel } from '../../src/engine/loadedModel';
import type { GenerateResult } from '../../src/engine/types';
import { createRuntime, type Backend } from '../../src/runtime/ort';

const config = parseMusicgenConfig(tinyMusicgenConfig(), 'tiny');

async function bundleAndMerged(): Promise<{ files: Map<string, Uint8Array>; merged: Uint8Array }> {
  const reader = randomCheckpointReader(config, 3);
  const files = new Map<string, Uint8Array>();
  await convertCheckpoint({ reader, config, dtype: 'fp32', name: 'tiny random', checkpointLabel: 'random', writeFile: async (path, bytes) => void files.set(path, bytes) });
  return { files, merged: await buildMergedDecoderGraph(reader, config, 'fp32') };
}

describe('merged decoder graph', () => {
  it.each<Backend>(['node', 'wasm'])('generates the same sequence as the per-layer graphs on %s', async (backend) => {
    const { files, merged } = await bundleAndMerged();
    const runtime = await createRuntime(backend);
    const model = await loadModel(memoryBundleFiles('tiny random', files), runtime);
    const session = await runtime.createSession('merged_decoder.onnx', merged);
    const conditioning = randomConditioning(5, config.textHiddenSize, 3);
    const signal = new AbortController().signal;
    const perLayer = (await engineGeneration(model, conditioning, 16, plainRows())(() => {}, signal)) as GenerateResult;
    const steps: number[] = [];
    const mergedSequence = (await mergedGeneration(model, session, conditioning, 16)(({ step }) => steps.push(step), signal)) as Int32Array;
    expect(steps).toEqual(Array.from({ length: 19 }, (_, i) => i + 1));
    expect(Array.from(mergedSequence)).toEqual(Array.from(perLayer.rows[0].sequence));
    await session.release();
    await model.release();
  });

  it('holds every layer once, without patch inputs', async () => {
    const { merged } = await bundleAndMerged();
    const session = await (await createRuntime('node')).createSession('merged', merged);
    expect(session.inputNames.filter((name) => name.startsWith('past_key_'))).toHaveLength(config.numLayers);
    expect(session.inputNames.some((name) => name.endsWith('_keep') || name.endsWith('_add'))).toBe(false);
    expect(session.outputNames).toContain('logits');
    await session.release();
  });
});
