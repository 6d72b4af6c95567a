/**
 * Reads the tensors a patch file references (Node): paths resolve against the patch file's folder
 * and stay inside it unless `allowOutside`; only regular files are opened; every handle is closed
 * after its read.
 */
import { nodeFileSource } from '../checkpoint/nodeFileSource';
import { openSafetensors } from '../checkpoint/safetensors';
import type { ResolvedTensor, TensorRef, TensorResolver } from '../engine/patchFile';
import { resolveConfined } from './confinedPath';

export function nodeTensorResolver(baseDir: string, options: { allowOutside?: boolean } = {}): TensorResolver {
  return async (ref: TensorRef): Promise<ResolvedTensor> => {
    const path = await resolveConfined(baseDir, ref.file, `file "${ref.file}"`, options.allowOutside);
    const source = nodeFileSource(path);
    try {
      const reader = await openSafetensors(source);
      const values = await reader.readFloat32(ref.tensor);
      return { shape: reader.info(ref.tensor).shape, values };
    } finally {
      await source.close();
    }
  };
}
