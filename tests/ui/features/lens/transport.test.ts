import { describe, expect, it } from 'vitest';
import { LensTransport } from '../../../../src/ui/features/lens/transport';

/** Enough of an HTMLMediaElement for the transport: events are dispatched as tasks, as browsers do. */
class FakeMedia extends EventTarget {
  paused = true;
  ended = false;
  currentTime = 0;
  readonly duration = 2;

  play(): Promise<void> {
    if (this.paused) {
      this.paused = false;
      this.ended = false;
      this.fire('play');
    }
    return Promise.resolve();
  }

  pause(): void {
    if (this.paused) return;
    this.paused = true;
    this.fire('pause');
  }

  finish(): void {
    this.currentTime = this.duration;
    this.paused = true;
    this.ended = true;
    this.fire('pause');
    this.fire('ended');
  }

  private fire(type: string): void {
    queueMicrotask(() => this.dispatchEvent(new Event(type)));
  }
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

function setup(depths: number[], full = 4) {
  const transport = new LensTransport(full);
  const media = new Map(depths.map((depth) => [depth, new FakeMedia()]));
  for (const [depth, element] of media) transport.register(depth, element as unknown as HTMLMediaElement);
  return { transport, media };
}

describe('LensTransport', () => {
  it('plays a depth from a time, one clip at a time', async () => {
    const { transport, media } = setup([1, 2, 4]);
    transport.playFrom(2, 0.5);
    await settle();
    expect(media.get(2)!.currentTime).toBe(0.5);
    expect(transport.getSnapshot().playing).toBe(2);
    transport.playFrom(1, 9); // clamped into the clip
    await settle();
    expect(media.get(1)!.currentTime).toBe(2);
    expect(media.get(2)!.paused).toBe(true);
    expect(transport.getSnapshot().playing).toBe(1);
  });

  it('A/B switches between a depth and the full model at the same playhead', async () => {
    const { transport, media } = setup([1, 2, 4]);
    transport.playFrom(2, 0.25);
    await settle();
    media.get(2)!.currentTime = 0.75; // it played on
    transport.toggleAB(2);
    await settle();
    expect(media.get(2)!.paused).toBe(true);
    expect(media.get(4)!.paused).toBe(false);
    expect(media.get(4)!.currentTime).toBe(0.75);
    expect(transport.getSnapshot()).toMatchObject({ playing: 4, abDepth: 2 });
    media.get(4)!.currentTime = 1.5;
    transport.toggleAB(2);
    await settle();
    expect(media.get(2)!.currentTime).toBe(1.5);
    expect(transport.getSnapshot().playing).toBe(2);
  });

  it('plays all depths in order, and stops when the user pauses', async () => {
    const { transport, media } = setup([1, 2, 4]);
    const played: number[] = [];
    for (const [depth, element] of media) element.addEventListener('play', () => played.push(depth));
    transport.playFrom(2, 1); // playing when "play all" starts: restarted in order
    await settle();
    transport.playAll([1, 2, 4]);
    await settle();
    expect(transport.getSnapshot()).toMatchObject({ playing: 1, playingAll: true });
    expect(media.get(1)!.currentTime).toBe(0);
    media.get(1)!.finish();
    await settle();
    expect(transport.getSnapshot()).toMatchObject({ playing: 2, playingAll: true });
    expect(media.get(2)!.currentTime).toBe(0);
    media.get(2)!.pause(); // the user pauses: the sequence ends there
    await settle();
    expect(transport.getSnapshot()).toMatchObject({ playing: null, playingAll: false });
    expect(played).toEqual([2, 1, 2]);
  });

  it('stop pauses everything and ends the sequence', async () => {
    const { transport, media } = setup([1, 4]);
    transport.playAll([1, 4]);
    await settle();
    transport.stop();
    await settle();
    expect([...media.values()].every((element) => element.paused)).toBe(true);
    expect(transport.getSnapshot()).toMatchObject({ playing: null, playingAll: false });
  });
});
