/**
 * The decoder's self-attention key/value cache, kept position-major so that the cached prefix is
 * one contiguous view: a block reads it as `past_key` [p, b_l, h, hd] (onnxruntime-node wraps the
 * JS array without copying it; onnxruntime-web copies it once into its heap) and returns only the
 * new positions' K/V, which are written in place after the prefix. Nothing of size p leaves
 * onnxruntime, and no array is reallocated per step. Layer l holds only its b_l active rows.
 */

export interface KvCache {
  length: number; // p: cached positions
  capacity: number; // positions allocated in every layer's buffers
  readonly maxPositions: number; // the most positions this cache will ever hold
  readonly layerRows: readonly number[]; // per layer: b_l
  readonly positionWidth: number; // h × hd
  keys: Float32Array[]; // per layer [capacity, b_l, h, hd], positions < length filled
  values: Float32Array[]; // per layer [capacity, b_l, h, hd]
}

// Runs that stop early (the bench times 12 steps of a 203-step sweep) should not pay for the
// whole clip's cache: buffers start small and double, capped at maxPositions.
const MIN_CAPACITY = 16;

export function createKvCache(layerRows: readonly number[], positionWidth: number, maxPositions: number): KvCache {
  return {
    length: 0,
    capacity: 0,
    maxPositions,
    layerRows: [...layerRows],
    positionWidth,
    keys: layerRows.map(() => new Float32Array(0)),
    values: layerRows.map(() => new Float32Array(0)),
  };
}

function grown(buffer: Float32Array, filled: number, size: number): Float32Array {
  const next = new Float32Array(size);
  next.set(buffer.subarray(0, filled));
  return next;
}

/** Makes room for `positions` cached positions in every layer (amortised: capacity doubles). */
export function reserveKvCache(cache: KvCache, positions: number): void {
  if (positions <= cache.capacity) return;
  if (positions > cache.maxPositions) throw new Error(`the KV cache holds at most ${cache.maxPositions} positions, ${positions} were asked for`);
  const capacity = Math.min(cache.maxPositions, Math.max(positions, 2 * cache.capacity, MIN_CAPACITY));
  cache.layerRows.forEach((rows, layer) => {
    const width = rows * cache.positionWidth; // one position of layer l: [b_l, h, hd]
    cache.keys[layer] = grown(cache.keys[layer], cache.length * width, capacity * width);
    cache.values[layer] = grown(cache.values[layer], cache.length * width, capacity * width);
  });
  cache.capacity = capacity;
}

/** The cached prefix of one layer, as views (no copy): key and value [p, b_l, h, hd]. */
export function pastKv(cache: KvCache, layer: number): { key: Float32Array; value: Float32Array } {
  const size = cache.length * cache.layerRows[layer] * cache.positionWidth;
  return { key: cache.keys[layer].subarray(0, size), value: cache.values[layer].subarray(0, size) };
}

/** Writes `t` new positions of one layer after the prefix: key and value [t, b_l, h, hd]; call reserveKvCache first. */
export function appendKv(cache: KvCache, layer: number, key: Float32Array, value: Float32Array, t: number): void {
  const width = cache.layerRows[layer] * cache.positionWidth;
  if (key.length !== t * width || value.length !== t * width) {
    throw new Error(`layer ${layer}: new K/V have ${key.length}/${value.length} values, expected [${t}, ${cache.layerRows[layer]}, ${cache.positionWidth}]`);
  }
  if (cache.length + t > cache.capacity) throw new Error(`layer ${layer}: ${t} new positions do not fit the KV cache (reserve first)`);
  cache.keys[layer].set(key, cache.length * width);
  cache.values[layer].set(value, cache.length * width);
}
