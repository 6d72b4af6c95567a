/**
 * The proof that the engine is MusicGen's computation: convert a golden fixture's checkpoint with
 * the project's converter and reproduce the reference outputs of the original implementation
 * (teacher-forced activations, greedy generation, captures, DecoderLens depths, interventions).
 * Runs anywhere the engine runs (Node, a browser worker); every size is read from the fixture.
 */
import { memoryBundleFiles } from '../bundle/bundleFiles';
import { arrayBufferSource } from '../checkpoint/byteSources';
import { parseMusicgenConfig } from '../checkpoint/musicgenConfig';
import { openSafetensors } from '../checkpoint/safetensors';
import type { TensorReader } from '../checkpoint/types';
import type { WeightDtype } from '../bundle/manifest';
import { convertCheckpoint } from '../convert/convertCheckpoint';
import { MusicgenEngine } from '../engine/engine';
import type { HookName, PatchableHookName } from '../engine/hooks';
import type { RowSpec } from '../engine/types';
import type { Runtime } from '../runtime/ort';
import { conditioningFromStates } from '../text/conditioning';

export interface GoldenFixture {
  configJson: string;
  model: Uint8Array; // model.safetensors
  golden: Uint8Array; // golden.safetensors
  goldenJson: string;
}

export interface GoldenCheckResult {
  name: string;
  passed: boolean;
  detail: string;
  /** Token checks: the fraction of tokens equal to the reference (the drift of q8/q4 bundles). */
  agreement?: number;
}

export interface GoldenReport {
  passed: boolean;
  backend: string;
  dtype: WeightDtype;
  checks: GoldenCheckResult[];
}

export interface GoldenOptions {
  dtype?: WeightDtype; // default fp32
  tolerance?: number; // default 1e-4 absolute
  onCheck?: (check: GoldenCheckResult) => void;
}

interface GoldenMeta {
  frames: number;
  steps: number;
  guidance_scale: number;
  special_token: number;
  layers: number;
  modules: string[];
  interventions: { index: number; kind: 'replace' | 'adjust'; layer: number; module: string; branches: string[]; values: string }[];
}

const MODULE_TO_HOOK: Record<string, string> = { self_attn: 'hook_attn_out', cross_attn: 'hook_cross_attn_out', mlp: 'hook_mlp_out' };

function hookFor(layer: number, module: string): PatchableHookName {
  const point = MODULE_TO_HOOK[module];
  if (!point) throw new Error(`golden.json names unknown module "${module}"`);
  return `blocks.${layer}.${point}` as PatchableHookName;
}

async function readInts(reader: TensorReader, name: string): Promise<Int32Array> {
  const info = reader.info(name);
  const raw = await reader.readRaw(name);
  const copy = raw.slice(); // aligned copy
  if (info.dtype === 'I64') return Int32Array.from(new BigInt64Array(copy.buffer), (v) => Number(v));
  if (info.dtype === 'I32') return new Int32Array(copy.buffer);
  throw new Error(`golden tensor ${name} is ${info.dtype}, expected integers`);
}

function compareFloats(name: string, actual: Float32Array, expected: Float32Array, tolerance: number): GoldenCheckResult {
  if (actual.length !== expected.length) return { name, passed: false, detail: `length ${actual.length}, expected ${expected.length}` };
  let worst = 0;
  let worstAt = -1;
  for (let i = 0; i < expected.length; i++) {
    const diff = Math.abs(actual[i] - expected[i]);
    if (!(diff <= worst)) {
      worst = Number.isNaN(diff) ? Infinity : diff;
      worstAt = i;
    }
  }
  const passed = worst <= tolerance;
  return { name, passed, detail: `max |diff| ${worst.toExponential(2)}${passed ? '' : ` at index ${worstAt} (got ${actual[worstAt]}, expected ${expected[worstAt]})`} (tolerance ${tolerance})` };
}

function compareInts(name: string, actual: Int32Array, expected: Int32Array): GoldenCheckResult {
  if (actual.length !== expected.length) return { name, passed: false, detail: `length ${actual.length}, expected ${expected.length}`, agreement: 0 };
  let mismatches = 0;
  let first = -1;
  for (let i = 0; i < expected.length; i++) {
    if (actual[i] !== expected[i]) {
      mismatches++;
      if (first < 0) first = i;
    }
  }
  return {
    name,
    passed: mismatches === 0,
    agreement: expected.length === 0 ? 1 : (expected.length - mismatches) / expected.length,
    detail: mismatches === 0 ? `all ${expected.length} tokens equal` : `${mismatches}/${expected.length} tokens differ, first at index ${first} (got ${actual[first]}, expected ${expected[first]})`,
  };
}

/** Converts the fixture's checkpoint into an in-memory bundle with the project's converter. */
async function convertFixture(fixture: GoldenFixture, dtype: WeightDtype): Promise<Map<string, Uint8Array>> {
  const config = parseMusicgenConfig(JSON.parse(fixture.configJson), 'config.json');
  const reader = await openSafetensors(arrayBufferSource(fixture.model, 'model.safetensors'));
  const files = new Map<string, Uint8Array>();
  await convertCheckpoint({
    reader,
    config,
    dtype,
    name: 'golden',
    checkpointLabel: 'golden fixture',
    async writeFile(path, bytes) {
      files.set(path, bytes);
    },
  });
  return files;
}

export async function runGoldenCheck(fixture: GoldenFixture, runtime: Runtime, options: GoldenOptions = {}): Promise<GoldenReport> {
  const dtype = options.dtype ?? 'fp32';
  const tolerance = options.tolerance ?? 1e-4;
  const meta = JSON.parse(fixture.goldenJson) as GoldenMeta;
  const golden = await openSafetensors(arrayBufferSource(fixture.golden, 'golden.safetensors'));
  const engine = await MusicgenEngine.load(memoryBundleFiles('golden', await convertFixture(fixture, dtype)), runtime);
  const checks: GoldenCheckResult[] = [];
  const record = (check: GoldenCheckResult) => {
    checks.push(check);
    options.onCheck?.(check);
  };
  try {
    const { hiddenSize: d, numLayers: L } = engine.manifest.config;
    if (meta.layers !== L) throw new Error(`golden.json says ${meta.layers} layers, the checkpoint has ${L}`);
    const [, textLength, textWidth] = golden.info('inputs.encoder_hidden_states').shape;
    const conditioning = conditioningFromStates(await golden.readFloat32('inputs.encoder_hidden_states'), 1, textLength, textWidth);

    // 1. Teacher forcing.
    const [, , t] = golden.info('inputs.codes').shape;
    const teacher = await engine.teacherForced(conditioning, await readInts(golden, 'inputs.codes'), t);
    const expectedResid = await golden.readFloat32('teacher.resid_post'); // [L, t, d]
    for (let layer = 0; layer < L; layer++) {
      record(compareFloats(`teacher.resid_post[${layer}]`, teacher.residPost[layer], expectedResid.subarray(layer * t * d, (layer + 1) * t * d), tolerance));
    }
    record(compareFloats('teacher.logits', teacher.logits, await golden.readFloat32('teacher.logits'), tolerance));

    // 2. Greedy generation with every module output captured, DecoderLens depths and
    //    interventions, all as rows of one batched generation.
    const frames = meta.frames;
    const capture: HookName[] = [];
    for (let layer = 0; layer < L; layer++) for (const module of meta.modules) capture.push(hookFor(layer, module));
    const rows: RowSpec[] = [{ prompt: 0 }];
    for (let depth = 1; depth <= L; depth++) rows.push({ prompt: 0, depth });
    for (const intervention of meta.interventions) {
      const both = intervention.branches.includes('null');
      rows.push({
        prompt: 0,
        patches: [{
          hook: hookFor(intervention.layer, intervention.module),
          kind: intervention.kind,
          values: await golden.readFloat32(intervention.values), // [steps, 2, d]
          branches: both ? 'both' : 'cond',
        }],
      });
    }
    const result = await engine.generate({ conditioning, frames, rows, capture, greedy: true, guidanceScale: meta.guidance_scale });
    if (result.steps !== meta.steps) record({ name: 'steps', passed: false, detail: `engine ran ${result.steps} steps, golden.json says ${meta.steps}` });
    const plain = result.rows[0];
    record(compareInts('generate.codes', plain.codes, await readInts(golden, 'generate.codes')));
    record(compareInts('generate.sequence', plain.sequence, await readInts(golden, 'generate.sequence')));
    if (dtype === 'fp32') {
      for (let layer = 0; layer < L; layer++) {
        for (const module of meta.modules) {
          const name = `generate.capture.${layer}.${module}`;
          const captured = plain.captures[hookFor(layer, module)];
          if (!captured) record({ name, passed: false, detail: 'not captured' });
          else record(compareFloats(name, captured, await golden.readFloat32(name), tolerance));
        }
      }
    }
    for (let depth = 1; depth <= L; depth++) {
      record(compareInts(`lens.${depth}.codes`, result.rows[depth].codes, await readInts(golden, `lens.${depth}.codes`)));
    }
    for (let i = 0; i < meta.interventions.length; i++) {
      record(compareInts(`intervene.${meta.interventions[i].index}.codes`, result.rows[1 + L + i].codes, await readInts(golden, `intervene.${meta.interventions[i].index}.codes`)));
    }
  } finally {
    await engine.release();
  }
  return { passed: checks.every((c) => c.passed), backend: runtime.description, dtype, checks };
}
