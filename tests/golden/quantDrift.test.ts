/**
 * q8 and q4 conversions of golden-tiny load and generate on onnxruntime-node and onnxruntime-web
 * WASM; their tokens agree with the reference (= fp32) above floors set below the measured
 * agreement (README "Quantised bundles": the measured figures and what they mean).
 */
import { describe, expect, it } from 'vitest';
import { goldenTinyDrift } from '../../src/golden/quantDrift';
import { createRuntime, type Backend } from '../../src/runtime/ort';
import { loadGoldenFixture } from './fixture';

// Measured 2026-11-25 (node; WASM within 1.4 points): q8 greedy 100 %, lens mean 73.6 %,
// interventions mean 63.9 %; q4 22.9 %, 45.1 %, 37.5 % (36.1 % on WASM).
const FLOORS: Record<'q8' | 'q4', { greedy: number; lensMean: number; interventionMean: number }> = {
  q8: { greedy: 0.9, lensMean: 0.6, interventionMean: 0.5 },
  q4: { greedy: 0.15, lensMean: 0.35, interventionMean: 0.28 },
};

describe.each<Backend>(['node', 'wasm'])('quantised golden-tiny on %s', (backend) => {
  it.each(['q8', 'q4'] as const)('%s generates greedy, lens and intervention tokens close to the reference', async (dtype) => {
    const drift = await goldenTinyDrift(loadGoldenFixture(), await createRuntime(backend), dtype);
    console.log(`golden-tiny ${dtype} on ${backend}: ${JSON.stringify(drift)}`);
    expect(drift.greedy).toBeGreaterThanOrEqual(FLOORS[dtype].greedy);
    expect(drift.lensMean).toBeGreaterThanOrEqual(FLOORS[dtype].lensMean);
    expect(drift.interventionMean).toBeGreaterThanOrEqual(FLOORS[dtype].interventionMean);
  });
});
