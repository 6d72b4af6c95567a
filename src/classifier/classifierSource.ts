/**
 * Where a classifier folder is, from what a user types: `hf:owner/name[@revision]` or a
 * huggingface.co repository address → the hub; anything else → a static folder URL (relative
 * URLs resolve against `base`). Local folders (Node) use nodeFolderLocation directly.
 */
import { hubLocation, urlLocation, type CheckpointLocation, type HttpLocationOptions } from '../checkpoint/location';

const HUB_HOST = 'huggingface.co';

export function classifierLocation(source: string, base: string, options: HttpLocationOptions = {}): CheckpointLocation {
  const text = source.trim();
  if (text === '') throw new Error('give a classifier folder URL or hf:owner/name');
  if (text.startsWith('hf:')) {
    const [repo, revision] = text.slice(3).split('@');
    return hubLocation(repo, { ...options, revision: revision || undefined }); // checks the repo id
  }
  const url = new URL(text, base);
  if (url.hostname === HUB_HOST) {
    // https://huggingface.co/owner/name[/tree/revision]
    const [owner, name, tree, revision] = url.pathname.split('/').filter(Boolean);
    if (!owner || !name) throw new Error(`${text} is not a Hugging Face repository address (expected https://huggingface.co/owner/name)`);
    return hubLocation(`${owner}/${name}`, { ...options, revision: tree === 'tree' ? revision : undefined });
  }
  return urlLocation(url.href, options);
}
