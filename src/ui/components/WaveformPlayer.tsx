import { useEffect, useRef, useState } from 'react';
import WaveSurfer from 'wavesurfer.js';
import type { Clip } from '../state/clips';

interface WaveformPlayerProps {
  clip: Clip;
  /** Smaller waveform, for the DecoderLens list. */
  compact?: boolean;
}

/**
 * One clip: a wavesurfer.js waveform over a real <audio> element (so the page, tests and
 * assistive technology see the media), play/pause, and a WAV download link.
 */
export function WaveformPlayer({ clip, compact = false }: WaveformPlayerProps) {
  const waveformRef = useRef<HTMLDivElement>(null);
  const audioRef = useRef<HTMLAudioElement>(null);
  const surferRef = useRef<WaveSurfer | null>(null);
  const [playing, setPlaying] = useState(false);

  useEffect(() => {
    const container = waveformRef.current;
    const media = audioRef.current;
    if (!container || !media) return;
    // The samples are at hand: give them as peaks so wavesurfer does not decode the WAV again.
    const surfer = WaveSurfer.create({
      container,
      media,
      url: clip.wavUrl,
      peaks: [clip.samples],
      duration: clip.durationSeconds,
      height: compact ? 40 : 96,
      waveColor: '#7c8cff',
      progressColor: '#3344cc',
      cursorColor: '#1b1f3a',
      normalize: true,
    });
    surferRef.current = surfer;
    const unsubscribers = [surfer.on('play', () => setPlaying(true)), surfer.on('pause', () => setPlaying(false)), surfer.on('finish', () => setPlaying(false))];
    return () => {
      for (const unsubscribe of unsubscribers) unsubscribe();
      surfer.destroy();
      surferRef.current = null;
      setPlaying(false);
    };
  }, [clip, compact]);

  return (
    <figure className={compact ? 'player player-compact' : 'player'} data-testid="player" data-depth={clip.depth}>
      <figcaption>
        {clip.label} · <span data-testid="clip-duration">{clip.durationSeconds.toFixed(2)} s</span>
      </figcaption>
      <div className="waveform" ref={waveformRef} data-testid="waveform" />
      <audio ref={audioRef} preload="metadata" data-testid="audio" />
      <div className="player-controls">
        <button type="button" onClick={() => void surferRef.current?.playPause()} aria-label={`${playing ? 'Pause' : 'Play'} ${clip.label}`}>
          {playing ? 'Pause' : 'Play'}
        </button>
        <a href={clip.wavUrl} download={clip.fileName} data-testid="download">
          Download WAV
        </a>
      </div>
    </figure>
  );
}
