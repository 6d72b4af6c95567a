/**
 * The tiny demo model's audio decoder: an ONNX graph with the Xenova/musicgen-small
 * `encodec_decode.onnx` contract (`audio_codes` int64 [1, b, K, T] -> `audio_values` float32
 * [b, 1, samplesPerFrame·T]). Not EnCodec: every code of every codebook owns a short waveform
 * snippet (a sinusoid whose pitch rises with the code, under a smooth fade in/out); a frame is
 * the sum of its K snippets through tanh. Different codes sound different, which is all a demo needs.
 */
import { AudioDecoderIO } from '../bundle/graphContract';
import { GraphBuilder } from '../convert/onnx/builder';
import { SeededRandom } from './seededRandom';

const SAMPLE_RATE = 32000;
const LOWEST_HZ = 55; // codebook 0, code 0
const OCTAVES_PER_CODEBOOK = 4; // code c sits c/codebookSize·4 octaves above its codebook's base
const FIRST_AMPLITUDE = 0.6; // codebook k has amplitude 0.6·2^-k, like residual VQ's shrinking corrections
const FADE_FRACTION = 1 / 8; // sin² fade over the first and last eighth of a frame

/** Snippet tables of all codebooks stacked: row k·codebookSize + c is code c of codebook k. */
export function tinyAudioSnippets(seed: number, codebookSize: number, numCodebooks: number, samplesPerFrame: number): Float32Array {
  const table = new Float32Array(numCodebooks * codebookSize * samplesPerFrame); // [K·C, S]
  const fadeLength = Math.max(1, Math.round(samplesPerFrame * FADE_FRACTION));
  const envelope = Float64Array.from({ length: samplesPerFrame }, (_, n) => {
    const edge = Math.min(n + 0.5, samplesPerFrame - n - 0.5) / fadeLength;
    return edge >= 1 ? 1 : Math.sin((Math.PI / 2) * edge) ** 2;
  }); // [S]
  for (let k = 0; k < numCodebooks; k++) {
    const phases = new SeededRandom(seed, `audio_decoder.phase.${k}`);
    const amplitude = FIRST_AMPLITUDE * 2 ** -k;
    const baseHz = LOWEST_HZ * 2 ** k;
    for (let c = 0; c < codebookSize; c++) {
      const hz = baseHz * 2 ** ((OCTAVES_PER_CODEBOOK * c) / codebookSize);
      const phase = phases.uniformIn(0, 2 * Math.PI);
      const row = (k * codebookSize + c) * samplesPerFrame;
      for (let n = 0; n < samplesPerFrame; n++) {
        table[row + n] = amplitude * envelope[n] * Math.sin((2 * Math.PI * hz * n) / SAMPLE_RATE + phase);
      }
    }
  }
  return table;
}

/** Builds the graph; works for any batch b and frame count T. */
export function buildTinyAudioDecoder(seed: number, codebookSize: number, numCodebooks: number, samplesPerFrame: number): Uint8Array {
  const g = new GraphBuilder('tiny_audio_decoder');
  const audioCodes = g.input(AudioDecoderIO.audioCodes, 'INT64', [1, 'batch', numCodebooks, 'frames']); // [1, b, K, T]

  const snippets = g.weight('snippets', tinyAudioSnippets(seed, codebookSize, numCodebooks, samplesPerFrame), [numCodebooks * codebookSize, samplesPerFrame]); // [K·C, S]
  const codebookOffsets = g.constInt64('codebook_offsets', Array.from({ length: numCodebooks }, (_, k) => k * codebookSize), [1, numCodebooks, 1]); // [1, K, 1]

  const codes = g.op('Squeeze', [audioCodes, g.constInt64('axis_zero', [0])]); // [b, K, T]
  const rows = g.add(codes, codebookOffsets); // [b, K, T], row in the stacked table
  const perCodebook = g.op('Gather', [snippets, rows], { axis: 0 }); // [b, K, T, S]
  const frames = g.op('Tanh', [g.op('ReduceSum', [perCodebook, g.constInt64('axis_codebooks', [1])], { keepdims: 0 })]); // [b, T, S]
  const audio = g.reshape(frames, g.constInt64('mono_shape', [0, 1, -1])); // [b, 1, T·S]
  g.output(audio, AudioDecoderIO.audioValues, 'FLOAT', ['batch', 1, 'samples']);

  return g.toBytes({ producer: 'musicgen-lab make-tiny', doc: 'Tiny random audio decoder with the Xenova/musicgen-small encodec_decode contract.' });
}
