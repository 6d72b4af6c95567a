import { describe, expect, it } from 'vitest';
import { addSpeedSample, parseSpeedRecord, SPEED_SAMPLES_KEPT, typicalStepsPerSecond, type SpeedRecord } from '../../src/storage/speedRecord';

describe('speed record', () => {
  it('keeps the last few samples per backend and reports their median', () => {
    let record: SpeedRecord = {};
    for (const [i, rate] of [3, 9, 4, 5, 6, 100].entries()) record = addSpeedSample(record, { backend: 'wasm', stepsPerSecond: rate, measuredAt: i });
    record = addSpeedSample(record, { backend: 'webgpu', stepsPerSecond: 40, measuredAt: 7 });
    expect(record.wasm).toEqual({ stepsPerSecond: [9, 4, 5, 6, 100], measuredAt: 5 });
    expect(record.wasm!.stepsPerSecond).toHaveLength(SPEED_SAMPLES_KEPT);
    expect(typicalStepsPerSecond(record.wasm!)).toBe(6);
    expect(typicalStepsPerSecond({ stepsPerSecond: [4, 2], measuredAt: 0 })).toBe(3);
    expect(typicalStepsPerSecond(record.webgpu!)).toBe(40);
  });

  it('ignores samples that are not a positive rate', () => {
    const record: SpeedRecord = { wasm: { stepsPerSecond: [5], measuredAt: 1 } };
    expect(addSpeedSample(record, { backend: 'wasm', stepsPerSecond: Number.NaN, measuredAt: 2 })).toBe(record);
    expect(addSpeedSample(record, { backend: 'wasm', stepsPerSecond: 0, measuredAt: 2 })).toBe(record);
  });

  it('reads back what it wrote, and keeps only well-formed entries of a damaged file', () => {
    const record = addSpeedSample({}, { backend: 'webgpu', stepsPerSecond: 51.5, measuredAt: 1700000000000 });
    expect(parseSpeedRecord(JSON.parse(JSON.stringify(record)))).toEqual(record);
    expect(parseSpeedRecord({ wasm: { stepsPerSecond: [4, 'x', -1, 5], measuredAt: 3 }, webgpu: { stepsPerSecond: [] , measuredAt: 1 }, cpu: { stepsPerSecond: [1], measuredAt: 1 } })).toEqual({
      wasm: { stepsPerSecond: [4, 5], measuredAt: 3 },
    });
    expect(parseSpeedRecord('nonsense')).toEqual({});
    expect(parseSpeedRecord(null)).toEqual({});
  });
});
