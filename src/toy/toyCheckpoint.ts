/**
 * The toy checkpoint: every decoder tensor of a Hugging Face MusicGen checkpoint, written by hand
 * so that the network computes a known mechanism (README "The toy model"; mechanism.ts lists
 * the sites). Layer norms are identity-scaled (weight 1, bias 0); module weights are zero except
 * where a mechanism below writes them, so every unused site outputs exactly 0.
 *
 *   L0 cross-attn  heads read GENRE, TEMPO and (at position 0 only) MOOD words
 *   L0 MLP         tempo value -> one of five tempo classes
 *   L1 self-attn   copies the mood read at position 0 to every frame
 *   L1 MLP         onset clock: the tempo class's sinusoid pair crossing zero upwards
 *   L2 MLP         melody (next phrase step at an onset), mood -> loudness, genre -> texture
 *   L3 cross-attn  reads the INSTRUMENTS word
 *   L4 MLP         instrument -> timbre vote
 *   L5             nothing (a pass-through layer)
 *   head           reads the votes: pitch, timbre, loudness, texture codebooks
 */
import { hfNames } from '../checkpoint/musicgenConfig';
import type { WritableTensor } from '../checkpoint/safetensorsWriter';
import { DEFAULT_LEVEL, INSTRUMENTS, MOOD_LEVEL, MOODS, PHRASE_LENGTH, TEMPO_CLASS_VALUES, TEXTURE_NONE, TIMBRE_NEUTRAL, GENRES } from './concepts';
import {
  ANCHOR, ANCHOR_NEG, ANCHOR_POS, CLOCK_FREQUENCY, D, FEATURE, GENRE, INSTRUMENT, LEVEL_VOTE, MOOD, MOOD_READ, ONSET, PITCH_VOTE, START,
  TEMPO_CLASS, TEMPO_SCALE, TEMPO_VALUE, TEXTURE_VOTE, TIMBRE_VOTE, featureRead, lnRead, quietOffset, sinusoidPeriod, HALF,
} from './residual';
import { TOY_HEAD_DIM, TOY_SIZES, toyMusicgenConfig } from './toyConfig';
import { TEXT } from './toyTextEncoder';

/** Logit (nats) of a full vote; defaults get half of it, unused codes −UNUSED. */
export const VOTE_LOGIT = 20;
const UNUSED_LOGIT = -40;
/** Attention scores: a slot word scores 30, `</s>` 15, any other token 0. */
const SLOT_SCORE = 30;
const EOS_SCORE = 15;
/** Gains of the step neurons (pre-activation per unit of the read feature). */
const STEP_GAIN = 12;
const TEMPO_GAIN = 24;
const CLOCK_GAIN = 200; // per unit of sin: the step is sharp to 1/200 of the sinusoid's amplitude
const CLOCK_GATE = 520; // a clock runs only for a whole tempo class (≥ 0.62): a blend of classes keeps the note held
const MELODY_GAIN = 10;

export interface ToyCheckpoint {
  config: Record<string, unknown>;
  tensors: WritableTensor[];
}

/** A dense row-major [rows, cols] matrix being filled. */
class Matrix {
  readonly data: Float32Array;
  constructor(readonly rows: number, readonly cols: number) {
    this.data = new Float32Array(rows * cols);
  }
  setRow(row: number, values: ArrayLike<number>): void {
    for (let c = 0; c < this.cols; c++) this.data[row * this.cols + c] += values[c];
  }
  add(row: number, col: number, value: number): void {
    this.data[row * this.cols + col] += value;
  }
}

/** One decoder layer's weights, zero until a mechanism writes them. */
class LayerWeights {
  readonly selfAttn = { q: new Matrix(D, D), k: new Matrix(D, D), v: new Matrix(D, D), out: new Matrix(D, D) };
  readonly crossAttn = { q: new Matrix(D, D), k: new Matrix(D, D), v: new Matrix(D, D), out: new Matrix(D, D) };
  readonly fc1 = new Matrix(TOY_SIZES.ffnDim, D); // [ffn, d]
  readonly fc2 = new Matrix(D, TOY_SIZES.ffnDim); // [d, ffn]
  private neurons = 0;

  /** Claims an MLP neuron whose pre-activation is `read` (LN-space weights) and whose output adds `write` × gelu. */
  neuron(read: ArrayLike<number>, write: readonly [number, number][]): void {
    if (this.neurons >= TOY_SIZES.ffnDim) throw new Error('toy checkpoint: a layer needs more MLP neurons than ffn_dim');
    const n = this.neurons++;
    this.fc1.setRow(n, read);
    for (const [dim, weight] of write) this.fc2.add(dim, n, weight);
  }

  /**
   * Two neurons giving `write × step(z)` where z is the pre-activation `read`:
   * (gelu(z + 1) − gelu(z − 1)) / 2 is 0 for z ≪ −1 and 1 for z ≫ 1.
   */
  step(read: Float64Array, write: readonly [number, number][]): void {
    const half = write.map(([dim, w]) => [dim, w / 2] as [number, number]);
    this.neuron(shiftBias(read, 1), half);
    this.neuron(shiftBias(read, -1), half.map(([dim, w]) => [dim, -w] as [number, number]));
  }
}

/** The same reader with `delta` added to its bias (through the anchors). */
function shiftBias(read: Float64Array, delta: number): Float64Array {
  const out = Float64Array.from(read);
  const anchorBias = lnRead([], delta);
  for (let j = 0; j < D; j++) out[j] += anchorBias[j];
  return out;
}

/** Query row `c` of head `h` = the given LN-space reader; scores are q·k / sqrt(head_dim). */
function setQuery(m: Matrix, head: number, component: number, read: ArrayLike<number>): void {
  m.setRow(head * TOY_HEAD_DIM + component, read);
}

const SCORE_UNIT = Math.sqrt(TOY_HEAD_DIM); // a query of SCORE_UNIT·s against a key of 1 scores s

/**
 * A cross-attention head that reads one prompt slot: it attends to the slot's words (score 30),
 * else to `</s>` (15), and writes `F × value` of the words it attends to into `targets`.
 */
function slotHead(layer: LayerWeights, head: number, keyDim: number, valueDims: readonly number[], targets: readonly number[], gain: number, query: Float64Array): void {
  const { q, k, v, out } = layer.crossAttn;
  setQuery(q, head, 0, query);
  setQuery(q, head, 1, lnRead([], EOS_SCORE * SCORE_UNIT));
  k.add(head * TOY_HEAD_DIM, keyDim, 1); // memory dims 0..31 are the text features (enc_to_dec_proj is an embedding)
  k.add(head * TOY_HEAD_DIM + 1, TEXT.keyEos, 1);
  valueDims.forEach((textDim, c) => {
    v.add(head * TOY_HEAD_DIM + c, textDim, 1);
    out.add(targets[c], head * TOY_HEAD_DIM + c, gain);
  });
}

const range = (start: number, count: number) => Array.from({ length: count }, (_, i) => start + i);

function buildLayers(): LayerWeights[] {
  const layers = Array.from({ length: TOY_SIZES.numLayers }, () => new LayerWeights());
  const always = lnRead([], SLOT_SCORE * SCORE_UNIT);

  // L0 cross-attention: genre (head 0), tempo (head 1), mood at the start frame only (head 2).
  slotHead(layers[0], 0, TEXT.keyGenre, range(TEXT.genre, 5), GENRE, FEATURE, always);
  slotHead(layers[0], 1, TEXT.keyTempo, [TEXT.tempoValue], [TEMPO_VALUE], TEMPO_SCALE, always);
  slotHead(layers[0], 2, TEXT.keyMood, range(TEXT.mood, 5), MOOD_READ, FEATURE, featureRead(START, SLOT_SCORE * SCORE_UNIT));

  // L0 MLP: tempo value -> tempo class one-hot (a bump of width 0.5 around each class value).
  TEMPO_CLASS_VALUES.forEach((center, k) => {
    const value = (bias: number) => lnRead([[TEMPO_VALUE, TEMPO_GAIN / TEMPO_SCALE]], TEMPO_GAIN * (bias - quietOffset(TEMPO_VALUE) / TEMPO_SCALE));
    layers[0].step(value(-center + 0.25), [[TEMPO_CLASS[k], FEATURE]]);
    layers[0].step(value(-center - 0.25), [[TEMPO_CLASS[k], -FEATURE]]);
  });

  // L1 self-attention head 0: every frame attends to position 0 (START) and copies its mood.
  const sa = layers[1].selfAttn;
  setQuery(sa.q, 0, 0, always);
  sa.k.setRow(0, featureRead(START));
  MOOD_READ.forEach((dim, c) => {
    sa.v.setRow(c, lnRead([[dim, 1]]));
    sa.out.add(MOOD[c], c, 1);
  });

  // L1 MLP: onset clock. Class k's clock is high while sin θ_k(p) > 0; ONSET = clock(p) − clock(p − 1).
  CLOCK_FREQUENCY.forEach((i, k) => {
    const delta = 1 / sinusoidPeriod(i); // phase step per frame
    const gate = (coefs: [number, number][]) =>
      lnRead([...coefs, [TEMPO_CLASS[k], CLOCK_GATE / FEATURE]], -CLOCK_GATE);
    const sinNow: [number, number][] = [[HALF + i, CLOCK_GAIN]];
    const sinBefore: [number, number][] = [[HALF + i, CLOCK_GAIN * Math.cos(delta)], [i, -CLOCK_GAIN * Math.sin(delta)]];
    layers[1].step(gate(sinNow), [[ONSET, FEATURE]]);
    layers[1].step(gate(sinBefore), [[ONSET, -FEATURE]]);
  });

  // L2 MLP: melody (at an onset, the vote moves from phrase step m to m + 1), loudness, texture.
  const onsetRead = (m: number) => lnRead([[PITCH_VOTE[m], MELODY_GAIN / FEATURE], [ONSET, MELODY_GAIN / FEATURE]], -1.5 * MELODY_GAIN - (MELODY_GAIN * quietOffset(PITCH_VOTE[m]) + MELODY_GAIN * quietOffset(ONSET)) / FEATURE);
  for (let m = 0; m < PHRASE_LENGTH; m++) {
    const unit = FEATURE / (MELODY_GAIN * 0.5); // gelu(5) = 5 -> one full vote moved
    layers[2].neuron(onsetRead(m), [[PITCH_VOTE[(m + 1) % PHRASE_LENGTH], unit], [PITCH_VOTE[m], -unit]]);
  }
  MOODS.forEach((mood, c) => layers[2].step(featureRead(MOOD[c], STEP_GAIN, -0.5 * STEP_GAIN), [[LEVEL_VOTE[MOOD_LEVEL[mood]], FEATURE]]));
  GENRES.forEach((_, g) => layers[2].step(featureRead(GENRE[g], STEP_GAIN, -0.5 * STEP_GAIN), [[TEXTURE_VOTE[g], FEATURE]]));

  // L3 cross-attention head 0: the instrument word.
  slotHead(layers[3], 0, TEXT.keyInstrument, range(TEXT.instrument, 5), INSTRUMENT, FEATURE, always);

  // L4 MLP: instrument -> timbre vote.
  INSTRUMENTS.forEach((_, i) => layers[4].step(featureRead(INSTRUMENT[i], STEP_GAIN, -0.5 * STEP_GAIN), [[TIMBRE_VOTE[i], FEATURE]]));
  return layers;
}

/** lm head rows [V, d] of one codebook: `votes[c]` read with VOTE_LOGIT, `biases[c]` as constants. */
function lmHead(votes: ReadonlyMap<number, number>, biases: ReadonlyMap<number, number>): Float32Array {
  const head = new Matrix(TOY_SIZES.codebookSize, D);
  for (let c = 0; c < TOY_SIZES.codebookSize; c++) {
    const vote = votes.get(c);
    if (vote !== undefined) head.setRow(c, featureRead(vote, VOTE_LOGIT));
    else head.setRow(c, lnRead([], biases.get(c) ?? UNUSED_LOGIT));
  }
  return head.data;
}

function lmHeads(): Float32Array[] {
  const pitch = new Map(PITCH_VOTE.map((dim, m) => [m, dim]));
  const timbre = new Map(TIMBRE_VOTE.map((dim, i) => [i, dim]));
  const level = new Map(LEVEL_VOTE.map((dim, l) => [l, dim]));
  const texture = new Map(TEXTURE_VOTE.map((dim, g) => [1 + g, dim]));
  const half = VOTE_LOGIT / 2;
  // The default level also has a vote: its bias rides on top of it (both ≥ the others).
  const levelHead = lmHead(level, new Map());
  const defaultLevel = lnRead([], half);
  for (let j = 0; j < D; j++) levelHead[DEFAULT_LEVEL * D + j] += defaultLevel[j];
  return [
    lmHead(pitch, new Map()),
    lmHead(timbre, new Map([[TIMBRE_NEUTRAL, half]])),
    levelHead,
    lmHead(texture, new Map([[TEXTURE_NONE, half]])),
  ];
}

/** Codebook 0's embedding: the anchors, the held phrase step's vote, and START on the start token. */
function pitchEmbedding(): Float32Array {
  const rows = TOY_SIZES.codebookSize + 1;
  const table = new Matrix(rows, D); // [V+1, d]
  for (let code = 0; code < rows; code++) {
    table.add(code, ANCHOR_POS, ANCHOR);
    table.add(code, ANCHOR_NEG, -ANCHOR);
    const special = code === TOY_SIZES.codebookSize;
    table.add(code, PITCH_VOTE[special ? 0 : code % PHRASE_LENGTH], FEATURE);
    if (special) table.add(code, START, FEATURE);
  }
  return table.data;
}

export function makeToyCheckpoint(): ToyCheckpoint {
  const tensors: WritableTensor[] = [];
  const push = (name: string, shape: number[], data: Float32Array) => tensors.push({ name, dtype: 'F32', shape, data });
  const { codebookSize: V, numCodebooks: K, ffnDim: f, textHiddenSize: textD } = TOY_SIZES;

  push(hfNames.embed(0), [V + 1, D], pitchEmbedding());
  for (let k = 1; k < K; k++) push(hfNames.embed(k), [V + 1, D], new Float32Array((V + 1) * D));

  const ones = new Float32Array(D).fill(1);
  const zeros = new Float32Array(D);
  buildLayers().forEach((layer, l) => {
    for (const [module, weights] of [['self_attn', layer.selfAttn], ['encoder_attn', layer.crossAttn]] as const) {
      push(hfNames.layer(l, `${module}.q_proj.weight`), [D, D], weights.q.data);
      push(hfNames.layer(l, `${module}.k_proj.weight`), [D, D], weights.k.data);
      push(hfNames.layer(l, `${module}.v_proj.weight`), [D, D], weights.v.data);
      push(hfNames.layer(l, `${module}.out_proj.weight`), [D, D], weights.out.data);
    }
    for (const norm of ['self_attn_layer_norm', 'encoder_attn_layer_norm', 'final_layer_norm']) {
      push(hfNames.layer(l, `${norm}.weight`), [D], ones);
      push(hfNames.layer(l, `${norm}.bias`), [D], zeros);
    }
    push(hfNames.layer(l, 'fc1.weight'), [f, D], layer.fc1.data);
    push(hfNames.layer(l, 'fc2.weight'), [D, f], layer.fc2.data);
  });
  push(hfNames.finalNorm('weight'), [D], ones);
  push(hfNames.finalNorm('bias'), [D], zeros);
  lmHeads().forEach((head, k) => push(hfNames.lmHead(k), [V, D], head));

  // enc_to_dec_proj embeds the 32 text features as memory dims 0..31 (no bias: padding stays 0).
  const proj = new Matrix(D, textD);
  for (let j = 0; j < textD; j++) proj.add(j, j, 1);
  push(hfNames.encToDec('weight'), [D, textD], proj.data);
  push(hfNames.encToDec('bias'), [D], zeros);
  return { config: toyMusicgenConfig(), tensors };
}
