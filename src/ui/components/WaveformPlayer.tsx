import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import WaveSurfer from 'wavesurfer.js';
import type { GenericPlugin } from 'wavesurfer.js/dist/base-plugin.js';
import SpectrogramPlugin from 'wavesurfer.js/dist/plugins/spectrogram.esm.js';
import TimelinePlugin from 'wavesurfer.js/dist/plugins/timeline.esm.js';
import type { Clip } from '../state/clips';
import { ClipProvenance } from './ClipProvenance';
import { timeTicks } from './timeTicks';

export interface WaveformPlayerProps {
  clip: Clip;
  /** Smaller waveform for lists and grids (per-depth clips). */
  compact?: boolean;
  /** Draw a mel spectrogram under the waveform (default: on unless compact). */
  spectrogram?: boolean;
  /** Show how the clip was made under the title (default: on unless compact). */
  provenance?: boolean;
  /** Start position in seconds when the clip is (re)loaded, e.g. a heatmap cell's time. */
  startAt?: number;
}

const TIMELINE_HEIGHT = 16;
const heights = (compact: boolean) => ({ waveform: compact ? 40 : 80, spectrogram: compact ? 64 : 128 });

/** Seconds a key moves the playhead: arrows 1 s, Shift+arrows 0.1 s (one EnCodec frame is 0.02 s). */
const SEEK_STEP = 1;
const FINE_SEEK_STEP = 0.1;

/** Colours come from the stylesheet so the player follows light and dark mode. */
function themeColour(element: Element, name: string, fallback: string): string {
  return getComputedStyle(element).getPropertyValue(name).trim() || fallback;
}

/**
 * One clip: a wavesurfer.js waveform over a real <audio> element (so the page, tests and
 * assistive technology see the media), a time axis, optionally a mel spectrogram, play/pause and
 * a WAV download. The focused player takes the keyboard: Space plays/pauses, arrows seek, Home/End
 * jump to the ends. Reusable for any clip (the Generate view, DecoderLens grids).
 */
export function WaveformPlayer({ clip, compact = false, spectrogram = !compact, provenance = !compact, startAt }: WaveformPlayerProps) {
  const waveformRef = useRef<HTMLDivElement>(null);
  const audioRef = useRef<HTMLAudioElement>(null);
  const surferRef = useRef<WaveSurfer | null>(null);
  const [playing, setPlaying] = useState(false);
  const [time, setTime] = useState(0);

  useEffect(() => {
    const container = waveformRef.current;
    const media = audioRef.current;
    if (!container || !media) return;
    const { tick, labelEvery } = timeTicks(clip.durationSeconds, compact ? 5 : 10);
    const plugins: GenericPlugin[] = [
      TimelinePlugin.create({
        height: TIMELINE_HEIGHT,
        timeInterval: tick,
        primaryLabelSpacing: labelEvery,
        secondaryLabelOpacity: 0,
        formatTimeCallback: (seconds) => `${Number(seconds.toFixed(2))} s`,
        style: { fontSize: '10px', color: themeColour(container, '--muted', '#5a6080') },
      }),
    ];
    if (spectrogram) {
      plugins.push(
        SpectrogramPlugin.create({
          height: heights(compact).spectrogram,
          scale: 'mel',
          labels: !compact,
          labelsBackground: 'rgba(0, 0, 0, 0.35)',
          frequencyMax: clip.sampleRate / 2,
          fftSamples: 512,
          colorMap: 'roseus',
        }),
      );
    }
    // The samples are at hand: give them as peaks so wavesurfer does not decode the WAV again
    // (the spectrogram is computed from them too).
    const surfer = WaveSurfer.create({
      container,
      media,
      url: clip.wavUrl,
      peaks: [clip.samples],
      duration: clip.durationSeconds,
      height: heights(compact).waveform,
      waveColor: themeColour(container, '--wave', '#7c8cff'),
      progressColor: themeColour(container, '--wave-progress', '#3344cc'),
      cursorColor: themeColour(container, '--ink', '#1b1f3a'),
      normalize: true,
      plugins,
    });
    surferRef.current = surfer;
    const unsubscribers = [
      surfer.on('play', () => setPlaying(true)),
      surfer.on('pause', () => setPlaying(false)),
      surfer.on('finish', () => setPlaying(false)),
      surfer.on('timeupdate', (seconds) => setTime(seconds)),
      surfer.on('ready', () => {
        if (startAt !== undefined) surfer.setTime(startAt);
      }),
    ];
    return () => {
      for (const unsubscribe of unsubscribers) unsubscribe();
      surfer.destroy();
      surferRef.current = null;
      setPlaying(false);
      setTime(0);
    };
  }, [clip, compact, spectrogram, startAt]);

  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    const surfer = surferRef.current;
    // Keys on the buttons and link inside keep their own meaning (Space/Enter press them).
    if (!surfer || event.target !== event.currentTarget) return;
    const media = audioRef.current;
    if (!media) return;
    const step = event.shiftKey ? FINE_SEEK_STEP : SEEK_STEP;
    // Seek the <audio> itself: wavesurfer's setTime parks a seek made while the previous one is
    // still running (readyState drops during a seek) and its 'seeking' handler then discards it,
    // so quick key presses were lost. The media element queues seeks correctly; wavesurfer follows
    // it through 'timeupdate'.
    const seekTo = (seconds: number) => {
      media.currentTime = Math.min(clip.durationSeconds, Math.max(0, seconds));
    };
    if (event.key === ' ') void surfer.playPause();
    else if (event.key === 'ArrowRight') seekTo(media.currentTime + step);
    else if (event.key === 'ArrowLeft') seekTo(media.currentTime - step);
    else if (event.key === 'Home') seekTo(0);
    else if (event.key === 'End') seekTo(clip.durationSeconds);
    else return;
    event.preventDefault();
  };

  return (
    <figure
      className={compact ? 'player player-compact' : 'player'}
      data-testid="player"
      data-depth={clip.depth}
      data-run={clip.runId}
      tabIndex={0}
      aria-label={`${clip.label} player: Space plays or pauses, arrow keys seek`}
      aria-keyshortcuts="Space ArrowLeft ArrowRight Home End"
      onKeyDown={onKeyDown}
    >
      <figcaption>
        <span className="clip-title">{clip.label}</span>
        <span className="clip-time" data-testid="clip-time">
          {time.toFixed(2)} / <span data-testid="clip-duration">{clip.durationSeconds.toFixed(2)} s</span>
        </span>
        {provenance && <ClipProvenance clip={clip} />}
      </figcaption>
      {/* Sized up front: the spectrogram is drawn after the waveform, and must not push the page down. */}
      <div className="waveform" ref={waveformRef} data-testid="waveform" style={{ minHeight: heights(compact).waveform + TIMELINE_HEIGHT + (spectrogram ? heights(compact).spectrogram : 0) + 2 }} />
      <audio ref={audioRef} preload="metadata" data-testid="audio" />
      <div className="player-controls">
        <button type="button" onClick={() => void surferRef.current?.playPause()} aria-label={`${playing ? 'Pause' : 'Play'} ${clip.label}`}>
          {playing ? 'Pause' : 'Play'}
        </button>
        <a href={clip.wavUrl} download={clip.fileName} data-testid="download">
          Download WAV
        </a>
        {!compact && <span className="hint">Focus the player: Space plays, ←/→ seek 1 s (Shift: 0.1 s)</span>}
      </div>
    </figure>
  );
}
