import { describe, expect, it } from 'vitest';
import { DeviceKvCache } from '../../src/engine/deviceKvCache';
import type { DeviceTensor } from '../../src/runtime/ort';

/** A stand-in for a GPU tensor that records whether it was disposed. */
function fakeTensor(positions: number): DeviceTensor & { disposed: boolean } {
  const tensor = {
    location: 'device' as const,
    type: 'float32' as const,
    dims: [positions, 2, 4, 8],
    disposed: false,
    dispose() {
      tensor.disposed = true;
    },
  };
  return tensor;
}

describe('device KV cache', () => {
  it('feeds empty host arrays [0, b_l, h, hd] before a layer has run', () => {
    const cache = new DeviceKvCache([2, 2], 4, 8);
    const { key, value } = cache.past(1);
    expect(key).toEqual({ type: 'float32', data: new Float32Array(0), dims: [0, 2, 4, 8] });
    expect(value.dims).toEqual([0, 2, 4, 8]);
  });

  it('feeds back the last present K/V and disposes the ones they replace', () => {
    const cache = new DeviceKvCache([2], 4, 8);
    const first = [fakeTensor(1), fakeTensor(1)];
    cache.replace(0, first[0], first[1]);
    cache.length = 1;
    expect(cache.past(0)).toEqual({ key: first[0], value: first[1] });
    const second = [fakeTensor(2), fakeTensor(2)];
    cache.replace(0, second[0], second[1]);
    cache.length = 2;
    expect(first.map((t) => t.disposed)).toEqual([true, true]);
    expect(cache.past(0).key).toBe(second[0]);
    expect(second[0].disposed).toBe(false);
  });

  it('disposes everything on release and is empty afterwards', () => {
    const cache = new DeviceKvCache([2, 2], 4, 8);
    const tensors = [fakeTensor(1), fakeTensor(1), fakeTensor(1), fakeTensor(1)];
    cache.replace(0, tensors[0], tensors[1]);
    cache.replace(1, tensors[2], tensors[3]);
    cache.length = 1;
    cache.release();
    expect(tensors.every((t) => t.disposed)).toBe(true);
    expect(cache.length).toBe(0);
    expect(cache.past(0).key.dims).toEqual([0, 2, 4, 8]);
  });

  it('refuses a present that came back in host memory, disposing what did arrive', () => {
    const cache = new DeviceKvCache([2], 4, 8);
    const key = fakeTensor(1);
    expect(() => cache.replace(0, key, undefined)).toThrow(/did not stay on the device/);
    expect(key.disposed).toBe(true);
  });

  it('refuses to feed an empty past once positions are cached', () => {
    const cache = new DeviceKvCache([2], 4, 8);
    cache.length = 3;
    expect(() => cache.past(0)).toThrow(/no tensors for 3 cached positions/);
  });
});
