/**
 * The toy codec's sound in plain float64 TypeScript: the same synthesis as the ONNX graph
 * (toyCodec.ts), sample by sample. It renders training clips for the toy classifier without
 * onnxruntime (so the fit is deterministic to the bit) and is the reference the graph is tested
 * against.
 */
import { DEFAULT_LEVEL, LEVELS } from './concepts';
import { HARMONICS, LEVEL_GAINS, phraseHz, styleOf, voiceOf } from './synth';
import { CODEC, noiseTables } from './toyCodec';

const sin2pi = (cycles: number) => Math.sin(2 * Math.PI * (cycles - Math.floor(cycles)));
const mod = (x: number, period: number) => x - Math.floor(x / period) * period;

/** Codes [4, frames] row-major (codebook-major, as the engine returns them) -> 32 kHz samples. */
export function renderReference(codes: Int32Array, frames: number): Float32Array {
  if (codes.length !== 4 * frames) throw new Error(`renderReference: ${codes.length} codes do not form [4, ${frames}]`);
  const { samplesPerFrame: S, sampleRate } = CODEC;
  const { white, hiss } = noiseTables();
  const out = new Float32Array(frames * S);
  let onsetFrame = 0;
  let timbre = 0;
  for (let t = 0; t < frames; t++) {
    const [pitch, level, texture] = [0, 2, 3].map((k) => codes[k * frames + t]);
    if (t === 0 || pitch !== codes[t - 1]) {
      onsetFrame = t;
      timbre = codes[frames + t]; // a note keeps the instrument chosen at its onset
    }
    const voice = voiceOf(timbre);
    const style = styleOf(texture);
    const hz = phraseHz(texture, pitch) * 2 ** voice.octave;
    const rootHz = phraseHz(texture, 0);
    const gain = LEVEL_GAINS[level >= 0 && level < LEVELS ? level : DEFAULT_LEVEL];
    for (let s = 0; s < S; s++) {
      const sample = t * S + s;
      const tau = mod(((t - onsetFrame) * S + s) / sampleRate, voice.repeat);
      const time = sample / sampleRate;
      const cycles = hz * tau + ((hz * voice.vibratoDepth) / (2 * Math.PI * voice.vibratoRate)) * (1 - sin2pi(voice.vibratoRate * tau + 0.25));
      let tone = 0;
      for (let h = 1; h <= HARMONICS; h++) {
        if (hz * h >= CODEC.nyquistGuardHz || voice.harmonics[h - 1] === 0) continue;
        tone += sin2pi(cycles * h) * voice.harmonics[h - 1] * Math.exp(-tau * voice.damping * (h - 1));
      }
      const envelope = (1 - Math.exp(-tau / voice.attack)) * (voice.sustain + (1 - voice.sustain) * Math.exp(-tau / voice.decay));
      const noiseAt = mod(sample, white.length);
      const melody = (tone + white[noiseAt] * voice.breath) * envelope * gain;

      let backing = 0;
      if (style.kick) {
        const sinceKick = mod(time, style.beat);
        backing += style.kick * sin2pi(sinceKick * 45 + 3 * (1 - Math.exp(-sinceKick / 0.02))) * Math.exp(-sinceKick / 0.15);
      }
      if (style.snare) backing += style.snare * white[noiseAt] * Math.exp(-mod(time - 0.5, 1) / 0.07);
      if (style.hat) backing += style.hat * hiss[noiseAt] * Math.exp(-mod(time, 0.25) / 0.025);
      if (style.ride) backing += style.ride * hiss[noiseAt] * (Math.exp(-mod(time, 0.5) / 0.25) + 0.6 * Math.exp(-mod(time - 1 / 3, 0.5) / 0.12));
      if (style.pad) backing += style.pad * (sin2pi(time * rootHz * 0.5) + 0.6 * sin2pi(time * rootHz * 0.75));
      if (style.bass) {
        const bassCycles = time * rootHz * 0.25;
        let bassTone = sin2pi(bassCycles);
        for (const k of [2, 3, 4]) bassTone += sin2pi(bassCycles * k) / k;
        backing += style.bass * bassTone * Math.exp(-mod(time, 0.25) / 0.18) * 0.5;
      }
      out[sample] = Math.tanh(CODEC.outputDrive * (melody + CODEC.backingGain * backing));
    }
  }
  return out;
}
