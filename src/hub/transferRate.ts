/** Download speed and time left from bytes over time (pure: the caller passes the clock). */
export interface TransferRate {
  bytesPerSecond: number;
  etaSeconds: number | undefined; // undefined until there is a speed to go by
}

/**
 * `fetchedBytes` arrived in `elapsedMs` since the transfer started; `remainingBytes` are still to
 * come. The average over the whole transfer is steadier than an instantaneous rate.
 */
export function transferRate(fetchedBytes: number, elapsedMs: number, remainingBytes: number): TransferRate {
  if (elapsedMs <= 0 || fetchedBytes <= 0) return { bytesPerSecond: 0, etaSeconds: undefined };
  const bytesPerSecond = (fetchedBytes * 1000) / elapsedMs;
  return { bytesPerSecond, etaSeconds: Math.max(0, remainingBytes) / bytesPerSecond };
}
