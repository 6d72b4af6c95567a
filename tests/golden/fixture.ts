/** Loads a golden fixture folder (default ../shared/fixtures/golden-tiny) for Node tests. */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { GoldenFixture } from '../../src/golden/goldenCheck';

export const GOLDEN_TINY_DIR = resolve(__dirname, '../../../shared/fixtures/golden-tiny');

export function loadGoldenFixture(dir = GOLDEN_TINY_DIR): GoldenFixture {
  const bytes = (name: string) => new Uint8Array(readFileSync(join(dir, name)));
  return {
    configJson: readFileSync(join(dir, 'config.json'), 'utf8'),
    model: bytes('model.safetensors'),
    golden: bytes('golden.safetensors'),
    goldenJson: readFileSync(join(dir, 'golden.json'), 'utf8'),
  };
}
