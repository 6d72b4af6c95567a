import { cpSync, createReadStream, existsSync, statSync } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Connect, type Plugin } from 'vite';

const projectRoot = fileURLToPath(new URL('.', import.meta.url));
const modelsDir = resolve(projectRoot, 'models');

/**
 * Multi-threaded WASM (SharedArrayBuffer) needs a cross-origin isolated page, so the dev and
 * preview servers send COOP + COEP; a static host of `dist/` must send the same two headers.
 */
const crossOriginIsolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

const CONTENT_TYPES: Record<string, string> = {
  '.json': 'application/json',
  '.onnx': 'application/octet-stream',
  '.safetensors': 'application/octet-stream',
  '.bin': 'application/octet-stream',
};

/** Serves files under `models/` at `/models/` (dev only); refuses paths that leave the folder. */
function serveModels(): Connect.NextHandleFunction {
  return (req, res, next) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const file = resolve(modelsDir, '.' + decodeURIComponent(url.pathname));
    if (!file.startsWith(modelsDir + sep) || !existsSync(file) || !statSync(file).isFile()) return next();
    res.setHeader('Content-Type', CONTENT_TYPES[extname(file)] ?? 'application/octet-stream');
    res.setHeader('Content-Length', String(statSync(file).size));
    for (const [name, value] of Object.entries(crossOriginIsolation)) res.setHeader(name, value);
    createReadStream(file).pipe(res);
  };
}

/**
 * The repo's `models/` folder (the tiny demo bundle) is not under `public/`, so this plugin
 * serves it at `/models/` in dev and copies it into the build output, which makes a plain static
 * `dist/` host the demo model.
 */
function modelsFolder(): Plugin {
  let outDir = 'dist';
  return {
    name: 'musicgen-lab:models-folder',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    configureServer(server) {
      server.middlewares.use('/models', serveModels());
    },
    writeBundle() {
      if (existsSync(modelsDir)) cpSync(modelsDir, join(outDir, 'models'), { recursive: true });
    },
  };
}

export default defineConfig({
  plugins: [react(), modelsFolder()],
  server: {
    headers: crossOriginIsolation,
    // `..` lets browser tests fetch the shared fixtures (`/@fs/.../shared/fixtures/...`).
    fs: { allow: ['..'] },
  },
  preview: { headers: crossOriginIsolation },
  // onnxruntime-web locates its .wasm/.mjs files next to its own module; pre-bundling would move
  // the module away from them.
  optimizeDeps: { exclude: ['onnxruntime-web'] },
  worker: { format: 'es' },
  build: { target: 'es2022' },
});
