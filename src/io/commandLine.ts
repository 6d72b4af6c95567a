/**
 * onnxruntime-node 1.30 segfaults in InferenceSession.create when the process's command line is
 * longer than about 29 KB (measured here: a 28,000-character --prompt runs, 30,000 crashes with
 * exit 139). The CLI refuses such command lines before any session exists.
 */
import { readFileSync } from 'node:fs';

/** Stays clear of the crash with room for the interpreter's own arguments. */
export const NATIVE_COMMAND_LINE_LIMIT = 24 * 1024;

/** Bytes of this process's command line (Linux: /proc/self/cmdline; elsewhere argv). */
export function commandLineBytes(): number {
  try {
    return readFileSync('/proc/self/cmdline').byteLength;
  } catch {
    return [process.execPath, ...process.execArgv, ...process.argv.slice(1)].reduce((n, arg) => n + Buffer.byteLength(arg) + 1, 0);
  }
}

/** The problem with running onnxruntime-node under this command line, or null. */
export function nativeCommandLineProblem(bytes = commandLineBytes()): string | null {
  if (bytes <= NATIVE_COMMAND_LINE_LIMIT) return null;
  return `the command line is ${bytes} bytes; onnxruntime-node crashes on command lines over about 29 KB: put long prompts in a file (--prompt-file FILE) or use --backend wasm`;
}
