/**
 * What a merged or fused runner loads besides its one graph: the bundle's manifest and its embed,
 * head and cross_kv graphs (mergedGeneration and fusedGeneration compute the prompt's cross K/V
 * with the cross_kv graphs; fusedGeneration embeds with the embed graph), but none of the block
 * graphs, so the runner's memory is its graph's. Neither uses head.onnx (their graph holds the
 * head): it is loaded because a LoadedModel has one, 32 MiB at musicgen-small's size.
 */
import type { BundleFiles } from '../bundle/bundleFiles';
import { parseManifest, type FileEntry } from '../bundle/manifest';
import type { CrossKvSession, LoadedModel } from '../engine/loadedModel';
import type { Runtime, Session } from '../runtime/ort';

export async function loadBlocklessModel(files: BundleFiles, runtime: Runtime): Promise<{ model: LoadedModel; bytes: number }> {
  const manifest = parseManifest(JSON.parse(new TextDecoder().decode(await files.read('manifest.json'))), `${files.name}/manifest.json`);
  const created: Session[] = [];
  let bytes = 0;
  const session = async (entry: FileEntry) => {
    const data = await files.read(entry.path);
    bytes += data.byteLength;
    const created_ = await runtime.createSession(entry.path, data);
    created.push(created_);
    return created_;
  };
  try {
    const embed = await session(manifest.graphs.embed);
    const head = await session(manifest.graphs.head);
    const crossKv: CrossKvSession[] = [];
    for (const graph of manifest.graphs.crossKv) crossKv.push({ session: await session(graph.file), firstLayer: graph.firstLayer, lastLayer: graph.lastLayer });
    const model: LoadedModel = {
      manifest,
      runtime,
      embed,
      blocks: [],
      crossKv,
      head,
      async release() {
        await Promise.all(created.splice(0).map((s) => s.release()));
      },
    };
    return { model, bytes };
  } catch (error) {
    await Promise.allSettled(created.map((s) => s.release()));
    throw error;
  }
}
