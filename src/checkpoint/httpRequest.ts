/**
 * The request policy of HTTP byte sources: fetch failures and error statuses as readable
 * CheckpointErrors, bodies read with a size limit, and retries of interrupted downloads.
 */
import { concatBytes } from '../tensor/bytes';
import { CheckpointError } from './safetensors';

export function isAbort(error: unknown): boolean {
  return (error as { name?: string } | null)?.name === 'AbortError';
}

function describeFetchFailure(cause: unknown): string {
  const error = cause as Error & { cause?: { code?: string; message?: string } };
  const inner = error?.cause ? `: ${error.cause.code ?? error.cause.message ?? String(error.cause)}` : '';
  return `${error?.message ?? String(cause)}${inner}`;
}

/** The error for an unsuccessful HTTP status, telling the user what to do about it. */
export function httpStatusError(url: string, status: number, statusText: string): CheckpointError {
  const statusLine = `HTTP ${status}${statusText ? ` ${statusText}` : ''}`;
  if (status === 401 || status === 403) {
    return new CheckpointError(
      `${url}: ${statusLine}: access denied. The repository may be gated or private (the Hub also answers 401 for a repository ` +
        'that does not exist): check its name, accept its terms on its model page, and pass an access token with ' +
        "headers: { Authorization: 'Bearer <token>' }",
      { source: url, code: 'access' },
    );
  }
  if (status === 404 || status === 410) {
    return new CheckpointError(`${url}: ${statusLine}: no such file; check the repository or folder URL, the revision and the file name`, {
      source: url,
      code: 'not-found',
    });
  }
  return new CheckpointError(`${url}: ${statusLine}`, { source: url, code: status >= 500 ? 'network' : 'io' });
}

/** Requests of one URL; a failed fetch (not an abort) becomes a 'network' CheckpointError. */
export function urlRequester(url: string, fetchImpl: typeof fetch): (init: RequestInit) => Promise<Response> {
  return async (init) => {
    try {
      return await fetchImpl(url, init);
    } catch (cause) {
      if (isAbort(cause)) throw cause;
      throw new CheckpointError(`network error fetching ${url}: ${describeFetchFailure(cause)} (offline, wrong address, or blocked by CORS?)`, {
        source: url,
        code: 'network',
        cause,
      });
    }
  };
}

export async function discardBody(response: Response): Promise<void> {
  await response.body?.cancel().catch(() => undefined);
}

/** Reads a response body, refusing (and cancelling the download) once it passes `limit` bytes. */
export async function readBodyLimited(url: string, response: Response, limit: number, onBytes?: (byteCount: number) => void): Promise<Uint8Array> {
  if (response.body === null) return new Uint8Array(await response.arrayBuffer());
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > limit) {
        await reader.cancel().catch(() => undefined);
        throw new CheckpointError(`${url}: response body is larger than the ${limit} bytes asked for`, { source: url, code: 'io' });
      }
      chunks.push(value);
      onBytes?.(value.byteLength);
    }
  } catch (cause) {
    if (cause instanceof CheckpointError || isAbort(cause)) throw cause;
    throw new CheckpointError(`${url}: download interrupted (${describeFetchFailure(cause)})`, { source: url, code: 'network', cause });
  }
  return concatBytes(chunks);
}

/**
 * Runs `attempt` again after an interruption (a 'network' CheckpointError: dropped connection,
 * server error), up to `retries` more times with a growing pause; any other error ends it.
 */
export async function retryInterrupted<T>(retries: number, attempt: () => Promise<T>): Promise<T> {
  for (let tries = 0; ; tries++) {
    try {
      return await attempt();
    } catch (error) {
      const interrupted = error instanceof CheckpointError && error.code === 'network';
      if (!interrupted || tries >= retries) throw error;
      await new Promise((resume) => setTimeout(resume, 200 * (tries + 1)));
    }
  }
}
