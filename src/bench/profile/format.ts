/** Markdown tables of the profile (the README's "Profiles of the missed targets" pastes them). */
import type { Peak } from './peaks';
import type { StepProfile } from './summary';

const ms = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const rate = (x: number) => (x >= 10 ? x.toFixed(0) : x.toFixed(1));

/** One row per op type (the `top` largest, then the rest together). */
export function opTable(profile: StepProfile, top = 8): string[] {
  const lines = ['| op | ms/step | share of kernel time | calls/step | GFLOP/step | GFLOP/s | B operand GB/s |', '| --- | --- | --- | --- | --- | --- | --- |'];
  const share = (x: number) => `${((100 * x) / profile.kernelMsPerStep).toFixed(1)} %`;
  for (const row of profile.ops.slice(0, top)) {
    const seconds = row.msPerStep / 1000;
    const matmul = row.flopsPerStep !== undefined;
    lines.push(
      `| ${row.op} | ${ms(row.msPerStep)} | ${share(row.msPerStep)} | ${Math.round(row.callsPerStep)} | ${matmul ? (row.flopsPerStep! / 1e9).toFixed(2) : ''} | ${matmul ? rate(row.flopsPerStep! / seconds / 1e9) : ''} | ${matmul ? rate(row.weightBytesPerStep! / seconds / 1e9) : ''} |`,
    );
  }
  const rest = profile.ops.slice(top);
  if (rest.length > 0) {
    const restMs = rest.reduce((sum, row) => sum + row.msPerStep, 0);
    lines.push(`| ${rest.length} other op types | ${ms(restMs)} | ${share(restMs)} | ${Math.round(rest.reduce((sum, row) => sum + row.callsPerStep, 0))} | | | |`);
  }
  lines.push(`| all kernels | ${ms(profile.kernelMsPerStep)} | 100 % | | | | |`);
  lines.push(`| inside session.run (model_run) | ${ms(profile.runMsPerStep)} | | | | | |`);
  return lines;
}

export function peakTable(backend: string, peaks: readonly Peak[]): string[] {
  const lines = [`| ${backend} peak | GFLOP/s median (min–max) | weights GB/s median (min–max) | runs |`, '| --- | --- | --- | --- |'];
  for (const p of peaks) {
    lines.push(`| ${p.label} | ${rate(p.gflops.median)} (${rate(p.gflops.min)}–${rate(p.gflops.max)}) | ${rate(p.weightGBps.median)} (${rate(p.weightGBps.min)}–${rate(p.weightGBps.max)}) | ${p.runs} |`);
  }
  return lines;
}
