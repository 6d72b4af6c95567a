/**
 * Cross-attention keys/values for a batch: the cross_kv graphs run once per prompt, then each
 * slot's conditional row gets its prompt's K/V and its null row gets zeros (audiocraft's null
 * condition: all-zero encoder states, so zero keys and values and a zero cross-attention output).
 */
import { CrossKvIO } from '../bundle/graphContract';
import type { TextConditioning } from '../text/conditioning';
import { crossAttentionBias } from './attentionBias';
import type { BatchGeometry } from './decoderForward';
import type { LoadedModel } from './loadedModel';

/** Per-prompt K/V of every layer: [count, h, s, hd] each. */
export interface PromptKv {
  keys: Float32Array[];
  values: Float32Array[];
}

export async function computePromptKv(model: LoadedModel, conditioning: TextConditioning): Promise<PromptKv> {
  const { numLayers, textHiddenSize } = model.manifest.config;
  if (conditioning.width !== textHiddenSize) {
    throw new Error(`text conditioning is ${conditioning.width} wide, the model expects ${textHiddenSize} (T5 d_model)`);
  }
  const keys: Float32Array[] = new Array(numLayers);
  const values: Float32Array[] = new Array(numLayers);
  const dims = [conditioning.count, conditioning.length];
  const mask = Float32Array.from(conditioning.mask); // [count, s]
  for (const graph of model.crossKv) {
    const out = await graph.session.run({
      [CrossKvIO.encoderHiddenStates]: { type: 'float32', data: conditioning.states, dims: [...dims, conditioning.width] },
      [CrossKvIO.encoderAttentionMask]: { type: 'float32', data: mask, dims },
    });
    for (let layer = graph.firstLayer; layer < graph.lastLayer; layer++) {
      const key = out[CrossKvIO.key(layer)];
      const value = out[CrossKvIO.value(layer)];
      if (key?.type !== 'float32' || value?.type !== 'float32') throw new Error(`${graph.session.name}: missing cross K/V outputs for layer ${layer}`);
      keys[layer] = key.data;
      values[layer] = value.data;
    }
  }
  return { keys, values };
}

/**
 * Lays prompt K/V out for a batch: slot i -> batch rows 2i (cond, prompt `slotPrompts[i]`) and
 * 2i+1 (null, zeros). Only the layers' active prefixes are ever read.
 */
export function batchGeometry(model: LoadedModel, conditioning: TextConditioning, promptKv: PromptKv, slotPrompts: readonly number[], activeSlotsAtLayer: readonly number[]): BatchGeometry {
  const { numHeads: h, headDim: hd, numLayers } = model.manifest.config;
  const s = conditioning.length;
  const slots = slotPrompts.length;
  const B = 2 * slots;
  const perRow = h * s * hd;
  const crossKeys: Float32Array[] = [];
  const crossValues: Float32Array[] = [];
  for (let layer = 0; layer < numLayers; layer++) {
    const activeRows = 2 * activeSlotsAtLayer[layer];
    const keys = new Float32Array(B * perRow); // [B, h, s, hd]
    const values = new Float32Array(B * perRow);
    for (let slot = 0; slot < activeRows / 2; slot++) {
      const prompt = slotPrompts[slot];
      keys.set(promptKv.keys[layer].subarray(prompt * perRow, (prompt + 1) * perRow), 2 * slot * perRow);
      values.set(promptKv.values[layer].subarray(prompt * perRow, (prompt + 1) * perRow), 2 * slot * perRow);
    }
    crossKeys.push(keys);
    crossValues.push(values);
  }
  const masks: Uint8Array[] = [];
  for (const prompt of slotPrompts) {
    masks.push(conditioning.mask.subarray(prompt * s, (prompt + 1) * s), new Uint8Array(s));
  }
  return {
    batch: B,
    activeBatchRows: activeSlotsAtLayer.map((n) => 2 * n),
    textLength: s,
    crossKeys,
    crossValues,
    crossBias: crossAttentionBias(masks, s), // [B, 1, 1, s]
  };
}
