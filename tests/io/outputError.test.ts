import { describe, expect, it } from 'vitest';
import { describeErrno } from '../../src/io/outputError';

describe('describeErrno', () => {
  it('says in words what the errno means, keeping the code', () => {
    const err = (code: string) => Object.assign(new Error('raw'), { code });
    expect(describeErrno(err('ENOSPC'))).toBe('no space left on the device (ENOSPC)');
    expect(describeErrno(err('EROFS'))).toBe('the file system is read-only (EROFS)');
    expect(describeErrno(err('EACCES'))).toBe('permission denied (EACCES)');
    expect(describeErrno(new Error('first line\nsecond'))).toBe('first line');
  });
});
