/**
 * The self-attention cache on a GPU (WebGPU): each layer's present key/value [p+t, b_l, h, hd]
 * stay in the device's memory where the block wrote them and are fed back as the next call's past,
 * so the cache never crosses to the host. The previous step's tensors are disposed once replaced.
 */
import type { DeviceTensor, HostTensor } from '../runtime/ort';

export class DeviceKvCache {
  length = 0; // p: cached positions
  private readonly keys: (DeviceTensor | undefined)[]; // per layer [p, b_l, h, hd]
  private readonly values: (DeviceTensor | undefined)[];

  constructor(
    readonly layerRows: readonly number[], // per layer: b_l
    private readonly heads: number,
    private readonly headDim: number,
  ) {
    this.keys = layerRows.map(() => undefined);
    this.values = layerRows.map(() => undefined);
  }

  /** A layer's past_key/past_value feeds [p, b_l, h, hd]: empty host arrays before its first call. */
  past(layer: number): { key: HostTensor | DeviceTensor; value: HostTensor | DeviceTensor } {
    const key = this.keys[layer];
    const value = this.values[layer];
    if (key && value) return { key, value };
    if (this.length > 0) throw new Error(`blocks.${layer}: the device KV cache has no tensors for ${this.length} cached positions`);
    const empty = (): HostTensor => ({ type: 'float32', data: new Float32Array(0), dims: [0, this.layerRows[layer], this.heads, this.headDim] });
    return { key: empty(), value: empty() };
  }

  /** Keeps a layer's present key/value [p+t, b_l, h, hd] as its next past and disposes the old ones. */
  replace(layer: number, key: DeviceTensor | undefined, value: DeviceTensor | undefined): void {
    if (!key || !value) {
      key?.dispose();
      value?.dispose();
      throw new Error(`blocks.${layer}: the present key/value did not stay on the device`);
    }
    this.keys[layer]?.dispose();
    this.values[layer]?.dispose();
    this.keys[layer] = key;
    this.values[layer] = value;
  }

  /** Frees every layer's device memory; the cache is empty afterwards. */
  release(): void {
    for (const tensors of [this.keys, this.values]) {
      tensors.forEach((tensor, layer) => {
        tensor?.dispose();
        tensors[layer] = undefined;
      });
    }
    this.length = 0;
  }
}
