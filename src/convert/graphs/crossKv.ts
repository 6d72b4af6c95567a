/**
 * cross_kv_{i}.onnx: enc_to_dec_proj(T5 states) × mask, then the cross-attention key/value
 * projections of a contiguous range of layers, split into heads. Computed once per prompt.
 * The layers are spread over several graphs so no single file passes `maxGraphBytes` of weights
 * (protobuf files cannot exceed 2 GB; 48-layer models need more than one).
 */
import { CrossKvIO } from '../../bundle/graphContract';
import { hfNames, type MusicgenConfig } from '../../checkpoint/musicgenConfig';
import type { TensorReader } from '../../checkpoint/types';
import { GraphBuilder, type WeightStorage } from '../onnx/builder';
import { WEIGHT_DTYPES } from '../../bundle/weightDtypes';
import { headShapes, linearWeight, splitHeads, vectorWeight } from './graphParts';
import { linear } from './linear';

export const DEFAULT_MAX_GRAPH_BYTES = 1.5e9;

export interface LayerRange {
  firstLayer: number; // inclusive
  lastLayer: number; // exclusive
}

function bytesPerWeight(storage: WeightStorage): number {
  return storage === 'peer-q8' ? WEIGHT_DTYPES.q8.bytesPerWeight : WEIGHT_DTYPES[storage].bytesPerWeight;
}

/**
 * Splits the layers into contiguous ranges whose weights (the shared projection plus 2·d² per
 * layer) fit in `maxGraphBytes`, filling each graph greedily.
 */
export function planCrossKvRanges(config: MusicgenConfig, storage: WeightStorage, maxGraphBytes = DEFAULT_MAX_GRAPH_BYTES): LayerRange[] {
  const perWeight = bytesPerWeight(storage);
  const sharedBytes = (config.hiddenSize * config.textHiddenSize + config.hiddenSize) * perWeight;
  const layerBytes = 2 * config.hiddenSize * config.hiddenSize * perWeight;
  if (!(maxGraphBytes >= sharedBytes + layerBytes)) {
    throw new Error(
      `maxGraphBytes ${maxGraphBytes} is too small: one cross_kv graph needs at least ${sharedBytes + layerBytes} bytes of ${storage} weights (projection + one layer)`,
    );
  }
  const layersPerGraph = Math.floor((maxGraphBytes - sharedBytes) / layerBytes);
  const ranges: LayerRange[] = [];
  for (let first = 0; first < config.numLayers; first += layersPerGraph) {
    ranges.push({ firstLayer: first, lastLayer: Math.min(first + layersPerGraph, config.numLayers) });
  }
  return ranges;
}

export async function buildCrossKvGraph(reader: TensorReader, config: MusicgenConfig, range: LayerRange, storage: WeightStorage): Promise<Uint8Array> {
  const { firstLayer, lastLayer } = range;
  if (!Number.isInteger(firstLayer) || !Number.isInteger(lastLayer) || firstLayer < 0 || lastLayer > config.numLayers || firstLayer >= lastLayer) {
    throw new Error(`buildCrossKvGraph: layer range [${firstLayer}, ${lastLayer}) is not a non-empty part of [0, ${config.numLayers})`);
  }
  const { hiddenSize: d, textHiddenSize: textD, numHeads: h, headDim: hd } = config;
  const g = new GraphBuilder(`cross_kv_${firstLayer}_${lastLayer}`, storage);
  const states = g.input(CrossKvIO.encoderHiddenStates, 'FLOAT', ['batch', 'text_tokens', textD]); // [b, s, textD]
  const mask = g.input(CrossKvIO.encoderAttentionMask, 'FLOAT', ['batch', 'text_tokens']); // [b, s]

  // Stays float (fp32 in quantised bundles): run once per prompt, 3% of the weights.
  const projWeight = await linearWeight(g, reader, hfNames.encToDec('weight'), d, textD, 'enc_to_dec_proj.weight_t'); // [textD, d]
  const projBias = await vectorWeight(g, reader, hfNames.encToDec('bias'), d, 'enc_to_dec_proj.bias'); // [d]
  const projected = g.add(g.matmul(states, projWeight), projBias); // [b, s, d]
  // audiocraft multiplies by the mask after the projection, so padding rows become exactly 0.
  const maskColumn = g.op('Unsqueeze', [mask, g.constInt64('axis_last', [2])]); // [b, s, 1]
  const memory = g.mul(projected, maskColumn); // [b, s, d]

  const heads = headShapes(g, h, hd);
  for (let layer = firstLayer; layer < lastLayer; layer++) {
    for (const [proj, outputName] of [['k', CrossKvIO.key(layer)], ['v', CrossKvIO.value(layer)]] as const) {
      const projected = await linear(g, reader, memory, hfNames.layer(layer, `encoder_attn.${proj}_proj.weight`), d, d, `layers.${layer}.encoder_attn.${proj}_proj.weight_t`); // [b, s, d]
      const split = splitHeads(g, projected, heads); // [b, h, s, hd]
      g.output(split, outputName, 'FLOAT', ['batch', h, 'text_tokens', hd]);
    }
  }
  return g.toBytes({
    producer: 'musicgen-lab convert',
    doc: `cross-attention K/V for layers [${firstLayer}, ${lastLayer})`,
    metadata: { firstLayer: String(firstLayer), lastLayer: String(lastLayer) },
  });
}
