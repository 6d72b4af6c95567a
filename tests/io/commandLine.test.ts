import { describe, expect, it } from 'vitest';
import { commandLineBytes, NATIVE_COMMAND_LINE_LIMIT, nativeCommandLineProblem } from '../../src/io/commandLine';

describe('command line guard', () => {
  it('measures this process and refuses only lines near onnxruntime-node\'s crash', () => {
    expect(commandLineBytes()).toBeGreaterThan(0);
    expect(nativeCommandLineProblem(NATIVE_COMMAND_LINE_LIMIT)).toBeNull();
    expect(nativeCommandLineProblem(100_000)).toMatch(/^the command line is 100000 bytes; onnxruntime-node crashes .*\(--prompt-file FILE\)/);
  });
});
