import { describe, expect, it } from 'vitest';
import { identityLength, parseContentRange } from '../../src/checkpoint/httpHeaders';

describe('parseContentRange', () => {
  it('reads start, inclusive end and total, or * for an unknown total', () => {
    expect(parseContentRange('bytes 0-99/1000')).toEqual({ start: 0, end: 99, total: 1000 });
    expect(parseContentRange(' BYTES 5-9/* ')).toEqual({ start: 5, end: 9, total: undefined });
  });

  it('says nothing for a missing or malformed header (including an unsatisfied range)', () => {
    expect(parseContentRange(null)).toBeUndefined();
    expect(parseContentRange('bytes */1000')).toBeUndefined();
    expect(parseContentRange('items 0-1/2')).toBeUndefined();
  });
});

describe('identityLength', () => {
  const response = (headers: Record<string, string>) => new Response(null, { headers });

  it('is Content-Length of an uncompressed body', () => {
    expect(identityLength(response({ 'content-length': '42' }))).toBe(42);
    expect(identityLength(response({ 'content-length': '42', 'content-encoding': 'identity' }))).toBe(42);
  });

  it('is unknown for a compressed body or a length that is not a number', () => {
    expect(identityLength(response({ 'content-length': '42', 'content-encoding': 'gzip' }))).toBeUndefined();
    expect(identityLength(response({ 'content-length': '4x2' }))).toBeUndefined();
    expect(identityLength(response({}))).toBeUndefined();
  });
});
