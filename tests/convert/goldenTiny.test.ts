/**
 * Converts ../shared/fixtures/golden-tiny (weights under HF names, outputs from the original
 * audiocraft implementation) and reproduces its teacher-forced outputs through the bundle graphs:
 * embed -> cross_kv -> each block -> head.
 */
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { BLOCK_MODULES, BlockIO, CrossKvIO, EmbedIO, HeadIO } from '../../src/bundle/graphContract';
import type { BundleManifest } from '../../src/bundle/manifest';
import type { MusicgenConfig } from '../../src/checkpoint/musicgenConfig';
import { nodeFileSource } from '../../src/checkpoint/nodeFileSource';
import { nodeFolderLocation } from '../../src/checkpoint/nodeFolderLocation';
import { openCheckpoint } from '../../src/checkpoint/openCheckpoint';
import { openSafetensors } from '../../src/checkpoint/safetensors';
import { convertCheckpoint } from '../../src/convert/convertCheckpoint';
import { causalBias } from './referenceDecoder';
import { floatFeed, int64Feed, maxAbsDiff, runGraph, type Feed } from './tinyCheckpoint';

const FIXTURE = fileURLToPath(new URL('../../../shared/fixtures/golden-tiny', import.meta.url));

interface Golden {
  encoderStates: Float32Array; // [1, s, textD]
  encoderDims: number[];
  codes: number[]; // [1, K, t]
  codeDims: number[];
  residPost: Float32Array; // [L, t, d]
  logits: Float32Array; // [K, t, V]
}

async function readGolden(): Promise<Golden> {
  const source = nodeFileSource(`${FIXTURE}/golden.safetensors`);
  try {
    const golden = await openSafetensors(source);
    const codesRaw = await golden.readRaw('inputs.codes');
    expect(golden.info('inputs.codes').dtype).toBe('I64');
    const codes = Array.from(new BigInt64Array(codesRaw.slice().buffer), Number);
    return {
      encoderStates: await golden.readFloat32('inputs.encoder_hidden_states'),
      encoderDims: golden.info('inputs.encoder_hidden_states').shape,
      codes,
      codeDims: golden.info('inputs.codes').shape,
      residPost: await golden.readFloat32('teacher.resid_post'),
      logits: await golden.readFloat32('teacher.logits'),
    };
  } finally {
    await source.close();
  }
}

async function convertFixture(dtype: 'fp32' | 'fp16') {
  const checkpoint = await openCheckpoint(nodeFolderLocation(FIXTURE));
  try {
    const files = new Map<string, Uint8Array>();
    const manifest = await convertCheckpoint({
      reader: checkpoint.reader,
      config: checkpoint.config,
      dtype,
      name: 'golden-tiny',
      checkpointLabel: FIXTURE,
      writeFile: async (path, bytes) => void files.set(path, bytes),
    });
    return { config: checkpoint.config, manifest, files };
  } finally {
    await checkpoint.close();
  }
}

/** Teacher-forced forward pass of the conditional branch through the bundle's graphs. */
async function teacherForced(config: MusicgenConfig, manifest: BundleManifest, files: Map<string, Uint8Array>, golden: Golden) {
  const { hiddenSize: d, numHeads: h, headDim: hd, numLayers } = config;
  const [b, , t] = golden.codeDims;
  const s = golden.encoderDims[1];
  const graph = (path: string) => files.get(path)!;

  const crossKv: Record<string, { data: Float32Array; dims: number[] }> = {};
  for (const g of manifest.graphs.crossKv) {
    Object.assign(
      crossKv,
      await runGraph(graph(g.file.path), {
        [CrossKvIO.encoderHiddenStates]: floatFeed(golden.encoderStates, golden.encoderDims),
        [CrossKvIO.encoderAttentionMask]: floatFeed(new Float32Array(b * s).fill(1), [b, s]),
      }),
    );
  }

  const embedded = await runGraph(graph(manifest.graphs.embed.path), {
    [EmbedIO.inputIds]: int64Feed(golden.codes, golden.codeDims),
    [EmbedIO.positionOffset]: int64Feed([0], [1]),
  });
  let resid = embedded[EmbedIO.hidden].data; // [b, t, d]
  const residPost: Float32Array[] = [];
  for (let layer = 0; layer < numLayers; layer++) {
    const feeds: Record<string, Feed> = {
      [BlockIO.residPre]: floatFeed(resid, [b, t, d]),
      [BlockIO.pastKey]: floatFeed(new Float32Array(0), [0, b, h, hd]),
      [BlockIO.pastValue]: floatFeed(new Float32Array(0), [0, b, h, hd]),
      [BlockIO.selfAttnBias]: floatFeed(causalBias(b, t, 0), [b, 1, t, t]),
      [BlockIO.crossKey]: floatFeed(crossKv[CrossKvIO.key(layer)].data, [b, h, s, hd]),
      [BlockIO.crossValue]: floatFeed(crossKv[CrossKvIO.value(layer)].data, [b, h, s, hd]),
      [BlockIO.crossAttnBias]: floatFeed(new Float32Array(b * s), [b, 1, 1, s]),
    };
    for (const module of BLOCK_MODULES) {
      feeds[BlockIO.keep(module)] = floatFeed(new Float32Array(b * t * d).fill(1), [b, t, d]);
      feeds[BlockIO.add(module)] = floatFeed(new Float32Array(b * t * d), [b, t, d]);
    }
    resid = (await runGraph(graph(manifest.graphs.blocks[layer].path), feeds))[BlockIO.residPost].data;
    residPost.push(resid);
  }
  const head = await runGraph(graph(manifest.graphs.head.path), { [HeadIO.resid]: floatFeed(resid, [b, t, d]) });
  return { residPost, logits: head[HeadIO.logits].data }; // logits [1, K, t, V] = golden's [K, t, V]
}

describe('golden-tiny through the converted bundle', () => {
  let golden: Golden;
  beforeAll(async () => {
    golden = await readGolden();
  });

  it('reproduces audiocraft teacher-forced resid_post of every layer and the logits (fp32, 1e-4)', async () => {
    const { config, manifest, files } = await convertFixture('fp32');
    expect(config.numLayers).toBe(3);
    const out = await teacherForced(config, manifest, files, golden);
    const perLayer = config.hiddenSize * golden.codeDims[2];
    for (let layer = 0; layer < config.numLayers; layer++) {
      const expected = golden.residPost.subarray(layer * perLayer, (layer + 1) * perLayer);
      expect(maxAbsDiff(out.residPost[layer], expected), `resid_post of layer ${layer}`).toBeLessThan(1e-4);
    }
    expect(maxAbsDiff(out.logits, golden.logits), 'logits').toBeLessThan(1e-4);
  });

  it('an fp16 bundle stays close to the reference logits', async () => {
    const { config, manifest, files } = await convertFixture('fp16');
    const out = await teacherForced(config, manifest, files, golden);
    const diff = maxAbsDiff(out.logits, golden.logits);
    expect(diff).toBeGreaterThan(0); // the weights really were rounded
    expect(diff).toBeLessThan(2e-2);
  });
});
