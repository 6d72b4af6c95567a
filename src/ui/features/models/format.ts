/** Display formats of the Models panel. */
import { typicalStepsPerSecond, type SpeedBackend, type SpeedRecord } from '../../../storage/speedRecord';

export { formatBytes } from '../../../storage/storageDir';

export function formatDuration(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds)) return '–';
  if (seconds < 60) return `${Math.ceil(seconds)} s`;
  const minutes = Math.floor(seconds / 60);
  return minutes < 60 ? `${minutes} min ${Math.round(seconds % 60)} s` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

const BACKEND_NAMES = { webgpu: 'WebGPU', wasm: 'WASM' } as const;

/** "4.8 steps/s on WASM (3 runs)", one part per backend measured; null when nothing was measured. */
export function formatSpeed(record: SpeedRecord | undefined): string | null {
  const parts = (Object.keys(BACKEND_NAMES) as SpeedBackend[]).flatMap((backend) => {
    const speed = record?.[backend];
    if (speed === undefined) return [];
    const runs = speed.stepsPerSecond.length;
    return [`${typicalStepsPerSecond(speed).toFixed(1)} steps/s on ${BACKEND_NAMES[backend]} (${runs === 1 ? '1 run' : `median of ${runs} runs`})`];
  });
  return parts.length > 0 ? parts.join('; ') : null;
}
