/** Where browser tests write screenshots (to be looked at; `__screenshots__/` is not committed). */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const SCREENSHOT_DIR = fileURLToPath(new URL('./__screenshots__/', import.meta.url));
mkdirSync(SCREENSHOT_DIR, { recursive: true });
