/** A real GPU's figures: steps/s, real-time factor and bandwidth share, and which adapters count. */
import { describe, expect, it } from 'vitest';
import { adapterBandwidth, classifyAdapter, gpuFigures } from '../../src/bench/gpu';
import { measurement, gpuReport, type BackendEntry } from '../../src/bench/results';
import { comparisonsFor } from '../../src/bench/plan';

describe('GPU figures', () => {
  it('reads every weight once per step: bytes per step ÷ time per step against the bandwidth', () => {
    // 1.57 GB of fp32 weights at 100 steps/s = 157 GB/s, of an H100 SXM's 3350 GB/s.
    const figures = gpuFigures(1.57e9, 0.01, adapterBandwidth('nvidia hopper NVIDIA H100 80GB HBM3'));
    expect(figures.stepsPerSecond).toBeCloseTo(100);
    expect(figures.realTimeFactor).toBeCloseTo(2);
    expect(figures.bandwidthFraction).toBeCloseTo(157 / 3350);
    expect(gpuFigures(1e9, 0.04, null)).toEqual({ stepsPerSecond: 25, realTimeFactor: 0.5, bandwidthFraction: null });
    expect(() => gpuFigures(1e9, 0, null)).toThrow(/positive/);
  });

  it('takes the bandwidth from --gpu-bandwidth, else from the adapter name, else none', () => {
    expect(adapterBandwidth('nvidia hopper NVIDIA H200', 1000)).toEqual({ gbPerSecond: 1000, source: '--gpu-bandwidth' });
    expect(adapterBandwidth('nvidia hopper NVIDIA H200')).toEqual({ gbPerSecond: 4800, source: 'NVIDIA H200' });
    expect(adapterBandwidth('NVIDIA H100 PCIe')?.gbPerSecond).toBe(2000);
    expect(adapterBandwidth('NVIDIA H100 80GB HBM3')?.gbPerSecond).toBe(3350);
    expect(adapterBandwidth('nvidia hopper')).toBeNull(); // Chromium often hides the description
    expect(() => adapterBandwidth('x', -1)).toThrow(/gpu-bandwidth/);
  });

  it('times only a real adapter: SwiftShader and fallback adapters are skipped with the reason', () => {
    expect(classifyAdapter({ adapter: { vendor: 'nvidia', architecture: 'hopper', description: 'NVIDIA H100', isFallbackAdapter: false } })).toEqual({ real: true, name: 'nvidia hopper NVIDIA H100' });
    const swiftshader = classifyAdapter({ adapter: { vendor: 'google', architecture: 'swiftshader', description: '', isFallbackAdapter: false } });
    expect(swiftshader).toMatchObject({ real: false, reason: expect.stringMatching(/SwiftShader fallback/) });
    expect(classifyAdapter({ adapter: { vendor: 'x', architecture: 'y', description: '', isFallbackAdapter: true } }).real).toBe(false);
    expect(classifyAdapter({ adapter: null, reason: 'requestAdapter() returned null' })).toEqual({ real: false, reason: 'no WebGPU adapter (requestAdapter() returned null)' });
  });

  it('reports each GPU variant from its plain, lens and sweep blocks', () => {
    const run = (weightsBytes: number) => ({ status: 'ok' as const, run: { description: 'webgpu', loadSeconds: 1, weightsBytes, plain: { steps: 2, stepSeconds: [1, 0.02] } } });
    const backends = { native: { status: 'skipped', reason: '' }, wasmNode: { status: 'skipped', reason: '' }, wasmChromium: { status: 'skipped', reason: '' }, webgpu: { status: 'ok', runners: { fp16: run(0.8e9) } } } as Record<string, BackendEntry>;
    const [lens, sweep] = comparisonsFor('webgpu').filter((c) => c.id.endsWith('.fp16'));
    const b = (s: number) => ({ workload: 'plain' as const, timing: { steps: 2, stepSeconds: [1, s] } });
    const measurements = [
      measurement(lens, 0, { ...b(0.04), workload: 'lens' }, b(0.02)),
      measurement(sweep, 0, { ...b(0.2), workload: 'sweep' }, b(0.025)),
      measurement(lens, 1, { ...b(0.05), workload: 'lens' }, b(0.0125)),
    ];
    const report = gpuReport(backends as never, measurements, 'NVIDIA H200', undefined)!;
    expect(report.bandwidth).toEqual({ gbPerSecond: 4800, source: 'NVIDIA H200' });
    const [row] = report.rows;
    expect(row.variant).toBe('fp16');
    // plain steps/s over the three plain blocks: 50, 40, 80 → median 50: real time, 0.8 GB × 50 / 4800 GB/s.
    expect(row.plain.stepsPerSecondSpread).toMatchObject({ median: 50, min: 40, max: 80 });
    expect(row.plain.realTimeFactor).toBeCloseTo(1);
    expect(row.plain.bandwidthFraction).toBeCloseTo(40 / 4800);
    expect(row.lensStepsPerSecond).toMatchObject({ median: 22.5, min: 20, max: 25 });
    expect(row.sweepStepsPerSecond?.median).toBeCloseTo(5);
    expect(gpuReport({ ...backends, webgpu: { status: 'skipped', reason: 'no adapter' } } as never, measurements, undefined)).toBeNull();
  });
});
