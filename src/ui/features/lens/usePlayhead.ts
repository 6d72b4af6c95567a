import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { FRAMES_PER_SECOND } from '../../state/settings';
import type { LensTransport } from './transport';

export interface Playhead {
  depth: number;
  frame: number; // EnCodec frame under the playhead
}

/**
 * Where the lens clip last played is, as a depth and a frame, for marking the heatmaps. Follows
 * the clip once per animation frame while it plays (changing state only when the frame changes)
 * and stays where it paused or ended.
 */
export function usePlayhead(transport: LensTransport): Playhead | null {
  const { playing } = useSyncExternalStore(transport.subscribe, transport.getSnapshot);
  const [playhead, setPlayhead] = useState<Playhead | null>(null);
  const lastDepth = useRef<number | null>(null);
  useEffect(() => {
    const depth = playing ?? lastDepth.current;
    if (depth === null) return;
    lastDepth.current = depth;
    const update = () => {
      const frame = Math.floor(transport.currentTime(depth) * FRAMES_PER_SECOND);
      setPlayhead((previous) => (previous?.depth === depth && previous.frame === frame ? previous : { depth, frame }));
    };
    update(); // also the final position once it paused
    if (playing === null) return;
    let request = 0;
    const follow = () => {
      update();
      request = requestAnimationFrame(follow);
    };
    request = requestAnimationFrame(follow);
    return () => cancelAnimationFrame(request);
  }, [playing, transport]);
  return playhead;
}
