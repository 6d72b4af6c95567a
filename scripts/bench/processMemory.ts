/** This process's memory as Linux reports it in /proc/self/status (bench runners and scripts). */
import { existsSync, readFileSync } from 'node:fs';

/** A `kB` field of /proc/self/status (VmRSS, VmHWM, ...) in bytes; 0 where there is none. */
export function processStatusBytes(field: string): number {
  const status = existsSync('/proc/self/status') ? readFileSync('/proc/self/status', 'utf8') : '';
  return Number(new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(status)?.[1] ?? 0) * 1024;
}

/**
 * This process's peak resident set. Linux's VmHWM belongs to the process image, so it starts
 * afresh at exec; getrusage's maxRSS survives exec and would report the parent's size when the
 * parent (Vite, Playwright) is the larger, so it is only the fallback off Linux.
 */
export function peakRssBytes(): number {
  return processStatusBytes('VmHWM') || process.resourceUsage().maxRSS * 1024;
}
