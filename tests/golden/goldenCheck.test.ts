import { describe, expect, it } from 'vitest';
import { runGoldenCheck, type GoldenReport } from '../../src/golden/goldenCheck';
import { createRuntime, type Backend } from '../../src/runtime/ort';
import { loadGoldenFixture } from './fixture';

function failures(report: GoldenReport): string {
  return report.checks.filter((c) => !c.passed).map((c) => `${c.name}: ${c.detail}`).join('\n');
}

describe.each<Backend>(['node', 'wasm'])('golden-tiny on %s', (backend) => {
  it('reproduces teacher activations, greedy codes, captures, every lens depth and every intervention', async () => {
    const report = await runGoldenCheck(loadGoldenFixture(), await createRuntime(backend));
    expect(failures(report)).toBe('');
    const names = report.checks.map((c) => c.name);
    // Every reference tensor of the fixture was compared, not just some.
    for (const expected of ['teacher.logits', 'generate.codes', 'generate.sequence', 'lens.1.codes', 'lens.3.codes', 'intervene.0.codes', 'intervene.2.codes', 'generate.capture.2.mlp']) {
      expect(names).toContain(expected);
    }
    expect(report.checks.length).toBe(21);
  });
});

describe('golden-tiny with fp16 weights', () => {
  it('still reproduces every greedy token; activations drift by under 1e-2', async () => {
    const report = await runGoldenCheck(loadGoldenFixture(), await createRuntime('node'), { dtype: 'fp16' });
    const tokenChecks = report.checks.filter((c) => c.name.endsWith('codes') || c.name.endsWith('sequence'));
    expect(tokenChecks.length).toBe(8);
    expect(tokenChecks.filter((c) => !c.passed)).toEqual([]);
    const drift = await runGoldenCheck(loadGoldenFixture(), await createRuntime('node'), { dtype: 'fp16', tolerance: 1e-2 });
    expect(failures(drift)).toBe('');
  });
});
