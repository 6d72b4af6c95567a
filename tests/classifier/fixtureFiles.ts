/** The ast-fbank fixture (../shared/fixtures/ast-fbank) for Node tests. */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const AST_FBANK_DIR = resolve(__dirname, '../../../shared/fixtures/ast-fbank');

export function loadAstFbankFixture(): { safetensors: Uint8Array; json: string } {
  return { safetensors: new Uint8Array(readFileSync(join(AST_FBANK_DIR, 'fbank.safetensors'))), json: readFileSync(join(AST_FBANK_DIR, 'fbank.json'), 'utf8') };
}
