/** The bundled tiny demo model on onnxruntime-node, for the analysis tools' end-to-end tests. */
import { join, resolve } from 'node:path';
import { nodeBundleFiles } from '../../src/bundle/nodeBundleFiles';
import { MusicgenEngine } from '../../src/engine/engine';
import { createRuntime } from '../../src/runtime/ort';

export const TINY_MODEL_DIR = join(resolve(__dirname, '../..'), 'models/tiny');

export async function tinyEngine(): Promise<MusicgenEngine> {
  return MusicgenEngine.load(nodeBundleFiles(TINY_MODEL_DIR), await createRuntime('node'));
}
