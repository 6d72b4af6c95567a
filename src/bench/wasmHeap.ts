/**
 * Observes the WebAssembly memories onnxruntime-web creates, so the benchmark can report the wasm
 * heap (its size only grows, so the final size is the peak). Call `trackWasmMemory()` before the
 * runtime is created: the threaded build creates its shared Memory in JS, the others export it.
 */
const memories = new Set<WebAssembly.Memory>();
let installed = false;

function remember(instance: WebAssembly.Instance | undefined): void {
  for (const value of Object.values(instance?.exports ?? {})) if (value instanceof WebAssembly.Memory) memories.add(value);
}

export function trackWasmMemory(): void {
  if (installed) return;
  installed = true;
  const wasm = WebAssembly as { -readonly [K in keyof typeof WebAssembly]: (typeof WebAssembly)[K] };
  const OriginalMemory = wasm.Memory;
  wasm.Memory = class TrackedMemory extends OriginalMemory {
    constructor(descriptor: WebAssembly.MemoryDescriptor) {
      super(descriptor);
      memories.add(this);
    }
  } as typeof WebAssembly.Memory;
  const instantiate = wasm.instantiate.bind(wasm) as (...args: unknown[]) => Promise<unknown>;
  wasm.instantiate = (async (...args: unknown[]) => {
    const result = await instantiate(...args);
    remember(result instanceof WebAssembly.Instance ? result : (result as WebAssembly.WebAssemblyInstantiatedSource).instance);
    return result;
  }) as typeof WebAssembly.instantiate;
  if (wasm.instantiateStreaming) {
    const streaming = wasm.instantiateStreaming.bind(wasm);
    wasm.instantiateStreaming = async (...args: Parameters<typeof WebAssembly.instantiateStreaming>) => {
      const result = await streaming(...args);
      remember(result.instance);
      return result;
    };
  }
}

/** Largest tracked wasm memory in bytes (0 when none was seen). */
export function wasmHeapBytes(): number {
  let largest = 0;
  for (const memory of memories) largest = Math.max(largest, memory.buffer.byteLength);
  return largest;
}
