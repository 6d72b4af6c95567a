/**
 * Figures of a real GPU: steps/s, the real-time factor (EnCodec runs at 50 frames per second, so
 * 50 decoder steps/s keeps pace with playback) and the share of the adapter's memory bandwidth a
 * step uses, taking a plain step (batch 2) as reading every decoder weight once.
 */

/** Decoder steps per second of real time: one step per EnCodec frame at 32 kHz / 640. */
export const REAL_TIME_STEPS_PER_SECOND = 50;

/** Peak memory bandwidth of GPUs, matched against the adapter's vendor, architecture and description. Most specific first. */
export const KNOWN_GPU_BANDWIDTH: readonly { pattern: RegExp; name: string; gbPerSecond: number }[] = [
  { pattern: /H200/i, name: 'NVIDIA H200', gbPerSecond: 4800 },
  { pattern: /H100.*PCIe/i, name: 'NVIDIA H100 PCIe', gbPerSecond: 2000 },
  { pattern: /H100.*NVL/i, name: 'NVIDIA H100 NVL', gbPerSecond: 3900 },
  { pattern: /H100/i, name: 'NVIDIA H100 SXM', gbPerSecond: 3350 },
  { pattern: /A100.*80\s*GB/i, name: 'NVIDIA A100 80GB', gbPerSecond: 2039 },
  { pattern: /A100/i, name: 'NVIDIA A100 40GB', gbPerSecond: 1555 },
  { pattern: /L40S/i, name: 'NVIDIA L40S', gbPerSecond: 864 },
  { pattern: /\bL4\b/i, name: 'NVIDIA L4', gbPerSecond: 300 },
  { pattern: /RTX\s*4090/i, name: 'NVIDIA GeForce RTX 4090', gbPerSecond: 1008 },
  { pattern: /RTX\s*3090/i, name: 'NVIDIA GeForce RTX 3090', gbPerSecond: 936 },
];

export interface Bandwidth {
  gbPerSecond: number;
  source: string; // "--gpu-bandwidth" or the matched GPU's name
}

/** The adapter's bandwidth: the command line's value wins, else the table; null when neither knows. */
export function adapterBandwidth(adapterName: string, override?: number): Bandwidth | null {
  if (override !== undefined) {
    if (!(override > 0)) throw new Error('--gpu-bandwidth must be a positive number of GB/s');
    return { gbPerSecond: override, source: '--gpu-bandwidth' };
  }
  const known = KNOWN_GPU_BANDWIDTH.find((gpu) => gpu.pattern.test(adapterName));
  return known ? { gbPerSecond: known.gbPerSecond, source: known.name } : null;
}

export interface GpuFigures {
  stepsPerSecond: number;
  /** steps/s ÷ 50: above 1 generates faster than the audio plays. */
  realTimeFactor: number;
  /** Bytes of weights read per second ÷ the adapter's bandwidth; null without a bandwidth. */
  bandwidthFraction: number | null;
}

export function gpuFigures(weightsBytes: number, secondsPerStep: number, bandwidth: Bandwidth | null): GpuFigures {
  if (!(secondsPerStep > 0)) throw new Error('time per step must be positive');
  const stepsPerSecond = 1 / secondsPerStep;
  return {
    stepsPerSecond,
    realTimeFactor: stepsPerSecond / REAL_TIME_STEPS_PER_SECOND,
    bandwidthFraction: bandwidth ? weightsBytes / secondsPerStep / (bandwidth.gbPerSecond * 1e9) : null,
  };
}

/** What a worker's navigator.gpu.requestAdapter() gave. */
export interface WebGpuProbe {
  adapter: { vendor: string; architecture: string; description: string; isFallbackAdapter: boolean } | null;
  reason?: string;
}

export type GpuAdapter = { real: true; name: string } | { real: false; reason: string };

/** A real adapter (its name for the bandwidth table), or why there is none: no WebGPU, or only SwiftShader's CPU fallback. */
export function classifyAdapter(probe: WebGpuProbe): GpuAdapter {
  const adapter = probe.adapter;
  if (!adapter) return { real: false, reason: `no WebGPU adapter (${probe.reason})` };
  const name = [adapter.vendor, adapter.architecture, adapter.description].filter(Boolean).join(' ');
  if (adapter.isFallbackAdapter || /swiftshader/i.test(name)) return { real: false, reason: `only a software adapter (${adapter.vendor} ${adapter.architecture}, SwiftShader fallback): not a timing target` };
  return { real: true, name };
}
