import { useEffect } from 'react';

/**
 * Escape anywhere on the page calls `onEscape` (every feature's Cancel), while `active` holds.
 * One listener per caller; each feature cancels only its own running job.
 */
export function useEscapeKey(onEscape: () => void, active = true): void {
  useEffect(() => {
    if (!active) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') onEscape();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onEscape, active]);
}
