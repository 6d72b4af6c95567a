/**
 * Paths named inside a file (patch files) stay inside that file's folder unless the user allows
 * otherwise: `../../etc/passwd`, an absolute path, or a symlink that leads out are refused.
 */
import { realpath } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';

export class PathEscapeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PathEscapeError';
  }
}

function inside(base: string, target: string): boolean {
  const rel = relative(base, target);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/**
 * Resolves `reference` against `baseDir`; unless `allowOutside`, refuses a result (after following
 * symlinks, when it exists) outside `baseDir`. `where` names the reference in messages.
 */
export async function resolveConfined(baseDir: string, reference: string, where: string, allowOutside = false): Promise<string> {
  const target = resolve(baseDir, reference);
  if (allowOutside) return target;
  const hint = 'keep referenced files in the same folder (or below), or allow outside paths explicitly';
  if (!inside(resolve(baseDir), target)) throw new PathEscapeError(`${where}: "${reference}" leaves the folder ${baseDir}; ${hint}`);
  const realBase = await realpath(baseDir).catch(() => resolve(baseDir));
  const realTarget = await realpath(target).catch(() => undefined);
  if (realTarget !== undefined && !inside(realBase, realTarget)) {
    throw new PathEscapeError(`${where}: "${reference}" is a link to ${realTarget}, outside the folder ${baseDir}; ${hint}`);
  }
  return target;
}
