/**
 * Starts the lab's Vite dev server programmatically for browser tests: the project's own
 * vite.config.ts (so COOP/COEP, `/models/` and the fs allow-list are the real ones), bound to
 * 127.0.0.1 on a free port chosen by the OS.
 */
import { fileURLToPath } from 'node:url';
import { createServer, type ViteDevServer } from 'vite';

export const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** Absolute path of the shared fixtures folder (outside the project root). */
export const SHARED_FIXTURES = fileURLToPath(new URL('../../../shared/fixtures', import.meta.url));

export interface LabServer {
  /** Origin without a trailing slash, e.g. `http://127.0.0.1:41234`. */
  origin: string;
  /** URL under which the server exposes a file outside the project root (Vite's `/@fs/` prefix). */
  fsUrl(absolutePath: string): string;
  close(): Promise<void>;
}

export async function startLabServer(): Promise<LabServer> {
  const server: ViteDevServer = await createServer({
    root: PROJECT_ROOT,
    configFile: fileURLToPath(new URL('../../vite.config.ts', import.meta.url)),
    logLevel: 'warn',
    clearScreen: false,
    // port 0: the OS picks a free port; no HMR socket, the page never reloads during a test.
    server: { host: '127.0.0.1', port: 0, strictPort: true, hmr: false, watch: null },
  });
  await server.listen();
  const address = server.httpServer?.address();
  if (!address || typeof address === 'string') {
    await server.close();
    throw new Error(`vite did not report a TCP address (got ${String(address)})`);
  }
  const origin = `http://127.0.0.1:${address.port}`;
  return {
    origin,
    fsUrl: (absolutePath) => `${origin}/@fs${absolutePath}`,
    close: () => server.close(),
  };
}
