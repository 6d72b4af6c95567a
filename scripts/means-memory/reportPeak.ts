/** Preloaded into a measured process: writes its peak resident memory (bytes) to $PEAK_RSS_FILE on exit. */
import { writeFileSync } from 'node:fs';

const file = process.env.PEAK_RSS_FILE;
if (file) process.on('exit', () => writeFileSync(file, String(process.resourceUsage().maxRSS * 1024)));
