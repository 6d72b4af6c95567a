import { describe, expect, it } from 'vitest';
import { httpStatusError, retryInterrupted, urlRequester } from '../../src/checkpoint/httpRequest';
import { CheckpointError } from '../../src/checkpoint/safetensors';

describe('retryInterrupted', () => {
  it('tries an interrupted download again, up to the retry count', async () => {
    let attempts = 0;
    const value = await retryInterrupted(2, async () => {
      if (++attempts < 3) throw new CheckpointError('dropped', { source: 'u', code: 'network' });
      return 'bytes';
    });
    expect(value).toBe('bytes');
    expect(attempts).toBe(3);
  });

  it('gives up after the retries, and at once on any other error', async () => {
    let attempts = 0;
    const dropped = new CheckpointError('dropped', { source: 'u', code: 'network' });
    await expect(retryInterrupted(1, async () => (attempts++, Promise.reject(dropped)))).rejects.toBe(dropped);
    expect(attempts).toBe(2);
    attempts = 0;
    const wrong = new CheckpointError('bad range', { source: 'u', code: 'io' });
    await expect(retryInterrupted(3, async () => (attempts++, Promise.reject(wrong)))).rejects.toBe(wrong);
    expect(attempts).toBe(1);
  });
});

describe('urlRequester', () => {
  it('turns a failed fetch into a network error naming the URL, and lets an abort through', async () => {
    const failing = urlRequester('http://x/f', async () => {
      throw new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } });
    });
    await expect(failing({})).rejects.toMatchObject({ code: 'network', message: expect.stringMatching(/network error fetching http:\/\/x\/f: fetch failed: ECONNREFUSED/) });
    const abort = new DOMException('stop', 'AbortError');
    await expect(urlRequester('http://x/f', async () => Promise.reject(abort))({})).rejects.toBe(abort);
  });
});

describe('httpStatusError', () => {
  it('says what to do for access and missing files, and marks server errors as retryable', () => {
    expect(httpStatusError('u', 401, '').code).toBe('access');
    expect(httpStatusError('u', 404, 'Not Found').message).toMatch(/HTTP 404 Not Found: no such file/);
    expect(httpStatusError('u', 503, '').code).toBe('network');
    expect(httpStatusError('u', 400, '').code).toBe('io');
  });
});
