/** A prompt set's identity for cache keys: sha256 of the prompts, in order. */
import { sha256Hex } from '../../convert/sha256';

/**
 * Lowercase hex sha256 of the prompt list as a JSON array (UTF-8), so order, count and every
 * character count, and no separator inside a prompt can make two lists collide.
 */
export function promptSetHash(prompts: readonly string[]): Promise<string> {
  return sha256Hex(new TextEncoder().encode(JSON.stringify(prompts)));
}
