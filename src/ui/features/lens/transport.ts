/**
 * Playback across the DecoderLens clips: one clip at a time, play a depth from a time (heatmap
 * clicks), A/B between a depth and the full model at the same playhead, and play every depth in
 * order. It drives the players' own <audio> elements, so their waveforms follow along.
 */

export interface TransportState {
  playing: number | null; // depth whose clip is playing
  playingAll: boolean; // "play all depths" is running
  /** The depth last compared with the full model (A/B), for the buttons' state. */
  abDepth: number | null;
}

export class LensTransport {
  private readonly audios = new Map<number, HTMLMediaElement>();
  private readonly listeners = new Set<() => void>();
  private state: TransportState = { playing: null, playingAll: false, abDepth: null };
  private queue: number[] = []; // "play all": the depth playing now, then the ones still to play
  private lastPlayed: number | null = null;
  /** Elements this transport paused itself: their pause is not the user stopping "play all". */
  private readonly ownPauses = new Set<HTMLMediaElement>();

  constructor(private fullDepth: number) {}

  /** The depth A/B compares against (the run's full model). */
  setFullDepth(depth: number): void {
    this.fullDepth = depth;
  }

  /** Registers a depth's <audio>; returns the unregister function. */
  register(depth: number, audio: HTMLMediaElement): () => void {
    const onPlay = () => {
      if (this.queue.length > 0 && this.queue[0] !== depth) this.queue = []; // the user played something else
      for (const [other, element] of this.audios) if (other !== depth) this.pause(element);
      this.lastPlayed = depth;
      this.update({ playing: depth });
    };
    const onPause = () => {
      const own = this.ownPauses.delete(audio);
      // A pause the user made (not the end of the clip) stops "play all".
      if (!own && !audio.ended && this.queue[0] === depth) this.queue = [];
      this.update(this.state.playing === depth ? { playing: null } : {});
    };
    const onEnded = () => {
      if (this.queue[0] !== depth) return;
      this.queue.shift();
      this.startQueue();
    };
    audio.addEventListener('play', onPlay);
    audio.addEventListener('pause', onPause);
    audio.addEventListener('ended', onEnded);
    this.audios.set(depth, audio);
    return () => {
      audio.removeEventListener('play', onPlay);
      audio.removeEventListener('pause', onPause);
      audio.removeEventListener('ended', onEnded);
      this.ownPauses.delete(audio);
      if (this.audios.get(depth) === audio) this.audios.delete(depth);
      this.queue = this.queue.filter((queued) => queued !== depth);
      this.update(this.state.playing === depth ? { playing: null } : {});
    };
  }

  /** Plays a depth's clip from `seconds` (clamped into the clip). */
  playFrom(depth: number, seconds: number): void {
    this.queue = [];
    this.start(depth, seconds);
  }

  /** Switches between `depth` and the full model, keeping the playhead (and playing). */
  toggleAB(depth: number): void {
    const pair = [depth, this.fullDepth];
    const source = pair.includes(this.state.playing ?? NaN) ? this.state.playing! : pair.includes(this.lastPlayed ?? NaN) ? this.lastPlayed! : this.fullDepth;
    const target = source === this.fullDepth ? depth : this.fullDepth;
    const sourceAudio = this.audios.get(source);
    const seconds = sourceAudio?.currentTime ?? 0;
    this.queue = [];
    if (sourceAudio) this.pause(sourceAudio);
    this.update({ abDepth: depth });
    this.start(target, seconds);
  }

  /** Plays the given depths' clips one after the other, each from its start. */
  playAll(depths: readonly number[]): void {
    for (const element of this.audios.values()) this.pause(element);
    this.queue = depths.filter((depth) => this.audios.has(depth));
    this.startQueue();
  }

  stop(): void {
    this.queue = [];
    for (const element of this.audios.values()) this.pause(element);
    this.update({});
  }

  /** Playhead (s) of a depth's clip; 0 when it is not registered. */
  currentTime(depth: number): number {
    return this.audios.get(depth)?.currentTime ?? 0;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): TransportState => this.state;

  private startQueue(): void {
    const next = this.queue[0];
    if (next !== undefined) this.start(next, 0);
    this.update({});
  }

  private pause(element: HTMLMediaElement): void {
    if (element.paused) return;
    this.ownPauses.add(element);
    element.pause();
  }

  private start(depth: number, seconds: number): void {
    const audio = this.audios.get(depth);
    if (!audio) return;
    const duration = Number.isFinite(audio.duration) ? audio.duration : Infinity;
    audio.currentTime = Math.max(0, Math.min(seconds, duration));
    // A refused play (no audio device, or interrupted by a later pause) leaves the clip paused; nothing to report.
    void audio.play().catch(() => {});
  }

  /** Applies a patch and recomputes `playingAll` from the queue; tells subscribers on change. */
  private update(patch: Partial<TransportState>): void {
    const next = { ...this.state, ...patch, playingAll: this.queue.length > 0 };
    if (next.playing === this.state.playing && next.playingAll === this.state.playingAll && next.abDepth === this.state.abDepth) return;
    this.state = next;
    for (const listener of this.listeners) listener();
  }
}
