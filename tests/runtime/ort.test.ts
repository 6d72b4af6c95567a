import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createRuntime } from '../../src/runtime/ort';

const dir = mkdtempSync(join(tmpdir(), 'ort-profile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('createRuntime profiling', () => {
  it("writes onnxruntime-node's per-op profile of a session, named after it, closed when the session is released", async () => {
    const runtime = await createRuntime('node', { profiling: { filePrefix: join(dir, 'p-') } });
    const session = await runtime.createSession('tiny head', readFileSync('models/tiny/head.onnx'));
    const d = 64; // models/tiny hiddenSize
    await session.run({ resid: { type: 'float32', data: new Float32Array(2 * d).fill(0.5), dims: [2, 1, d] } }); // [b, t, d]
    await session.release();
    const files = readdirSync(dir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^p-tiny_head_.*\.json$/);
    const events = JSON.parse(readFileSync(join(dir, files[0]), 'utf8')) as { cat: string; name: string; args: { op_name?: string } }[];
    const ops = events.filter((e) => e.cat === 'Node').map((e) => e.args.op_name);
    expect(ops).toContain('MatMul');
    expect(events.some((e) => e.cat === 'Session' && e.name === 'model_run')).toBe(true);
  });

  it('writes no profile without the option', async () => {
    const before = readdirSync(dir).length;
    const runtime = await createRuntime('node');
    const session = await runtime.createSession('plain head', readFileSync('models/tiny/head.onnx'));
    await session.release();
    expect(readdirSync(dir)).toHaveLength(before);
  });
});
