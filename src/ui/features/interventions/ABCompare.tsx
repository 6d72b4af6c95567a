import { useEffect, useRef } from 'react';
import { WaveformPlayer } from '../../components/WaveformPlayer';
import type { ABPair } from './interventionsStore';

/** Plays `audio` once it can; a refused play (autoplay policy) just leaves the play button to the user. */
function playWhenReady(audio: HTMLAudioElement): () => void {
  const play = () => void audio.play().catch(() => {});
  if (audio.readyState >= 2) {
    play();
    return () => {};
  }
  audio.addEventListener('canplay', play, { once: true });
  return () => audio.removeEventListener('canplay', play);
}

/**
 * The intervened clip next to the original (A/B). A new pair from a cell click starts the
 * intervened clip; A and B pause each other, so one plays at a time.
 */
export function ABCompare({ pair }: { pair: ABPair }) {
  const container = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const audios = [...(container.current?.querySelectorAll('audio') ?? [])];
    const onPlay = (event: Event) => audios.forEach((audio) => audio !== event.target && audio.pause());
    audios.forEach((audio) => audio.addEventListener('play', onPlay));
    return () => audios.forEach((audio) => audio.removeEventListener('play', onPlay));
  }, [pair]);

  useEffect(() => {
    if (!pair.autoplay) return;
    const intervened = container.current?.querySelector<HTMLAudioElement>('[data-testid=ab-intervened] audio');
    return intervened ? playWhenReady(intervened) : undefined;
  }, [pair]);

  return (
    <div className="ab-compare" ref={container} data-testid="ab-compare">
      <p className="ab-title" data-testid="ab-title">
        {pair.title}
      </p>
      <div className="ab-players">
        <div data-testid="ab-original">
          <span className="ab-tag">A · original</span>
          <WaveformPlayer clip={pair.original} compact />
        </div>
        <div data-testid="ab-intervened">
          <span className="ab-tag">B · intervened</span>
          <WaveformPlayer clip={pair.intervened} compact />
        </div>
      </div>
    </div>
  );
}
