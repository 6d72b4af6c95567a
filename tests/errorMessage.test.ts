import { describe, expect, it } from 'vitest';
import { messageOf } from '../src/errorMessage';

describe('messageOf', () => {
  it("gives an Error's message and the string form of anything else thrown", () => {
    expect(messageOf(new TypeError('bad shape'))).toBe('bad shape');
    expect(messageOf('plain text')).toBe('plain text');
    expect(messageOf(42)).toBe('42');
    expect(messageOf(undefined)).toBe('undefined');
  });
});
