import { useEffect, useRef, useSyncExternalStore } from 'react';
import { WaveformPlayer } from '../../components/WaveformPlayer';
import type { Clip } from '../../state/clips';
import type { LensTransport } from './transport';

interface LensClipCardProps {
  clip: Clip;
  isFull: boolean;
  transport: LensTransport;
  playing: boolean;
  comparing: boolean; // this depth is the one last A/B-compared with the full model
}

/** One depth's player; its <audio> joins the transport, so clips play one at a time. */
function LensClipCard({ clip, isFull, transport, playing, comparing }: LensClipCardProps) {
  const cardRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const audio = cardRef.current?.querySelector('audio');
    return audio ? transport.register(clip.depth, audio) : undefined;
  }, [clip, transport]);
  const classes = ['lens-clip', playing ? 'lens-clip-playing' : '', isFull ? 'lens-clip-full' : ''].filter(Boolean).join(' ');
  return (
    <div className={classes} ref={cardRef} data-testid="lens-clip" data-depth={clip.depth}>
      <WaveformPlayer clip={clip} compact />
      <div className="lens-clip-footer">
        {isFull ? (
          <span className="hint">the reference for A/B and agreement</span>
        ) : (
          <button
            type="button"
            className="lens-ab"
            aria-pressed={comparing}
            onClick={() => transport.toggleAB(clip.depth)}
            title="Switch between this depth and the full model at the same playhead"
            data-testid={`ab-${clip.depth}`}
          >
            A/B with full
          </button>
        )}
      </div>
    </div>
  );
}

/** The per-depth clips of a lens run, the full model last. */
export function LensClipGrid({ clips, numLayers, transport }: { clips: readonly Clip[]; numLayers: number; transport: LensTransport }) {
  const state = useSyncExternalStore(transport.subscribe, transport.getSnapshot);
  return (
    <div className="lens-clips" data-testid="lens-players">
      {clips.map((clip) => (
        <LensClipCard key={clip.wavUrl} clip={clip} isFull={clip.depth === numLayers} transport={transport} playing={state.playing === clip.depth} comparing={state.abDepth === clip.depth} />
      ))}
    </div>
  );
}
