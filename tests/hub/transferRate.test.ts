import { describe, expect, it } from 'vitest';
import { transferRate } from '../../src/hub/transferRate';

describe('transferRate', () => {
  it('averages over the transfer and tells the time left', () => {
    expect(transferRate(50e6, 2000, 100e6)).toEqual({ bytesPerSecond: 25e6, etaSeconds: 4 });
  });

  it('has no ETA before any byte or time', () => {
    expect(transferRate(0, 1000, 10)).toEqual({ bytesPerSecond: 0, etaSeconds: undefined });
    expect(transferRate(10, 0, 10)).toEqual({ bytesPerSecond: 0, etaSeconds: undefined });
  });
});
