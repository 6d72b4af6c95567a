/**
 * The subset of a Hugging Face `MusicgenConfig` (config.json) the lab needs, parsed once with
 * clear errors. Nothing downstream reads raw JSON or assumes 24 layers.
 */
export interface MusicgenConfig {
  hiddenSize: number; // d_model of the decoder (1024 for small)
  numLayers: number; // 24 small, 48 medium/large
  numHeads: number;
  headDim: number; // hiddenSize / numHeads
  ffnDim: number;
  codebookSize: number; // lm-head rows; the special (start) token id equals this
  numCodebooks: number;
  maxPositions: number;
  layerNormEps: number;
  textHiddenSize: number; // T5 d_model (768 for t5-base)
  sampleRate: number; // 32000
  samplesPerFrame: number; // product of EnCodec upsampling ratios (640)
}

export class ConfigError extends Error {
  constructor(source: string, message: string) {
    super(`${source}: ${message}`);
    this.name = 'ConfigError';
  }
}

/**
 * Largest value the lab accepts for each size, far above every MusicGen (large: 48 layers, width
 * 2048, 32 heads, ffn 8192, 4 × 2048 codes), but small enough that a corrupt config fails here with
 * a message instead of exhausting memory while tensor lists or buffers are built.
 */
export const CONFIG_LIMITS = {
  hiddenSize: 16_384,
  numLayers: 512,
  numHeads: 1_024,
  ffnDim: 131_072,
  codebookSize: 1_048_576,
  numCodebooks: 64,
  maxPositions: 1_048_576,
  textHiddenSize: 16_384,
  sampleRate: 1_000_000,
  samplesPerFrame: 1_048_576,
} as const satisfies Partial<Record<keyof MusicgenConfig, number>>;

function readInt(obj: Record<string, unknown>, key: string, source: string, where: string, max: number, fallback?: number): number {
  const value = obj[key];
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw new ConfigError(source, `${where}.${key} must be a positive integer, got ${JSON.stringify(value)}`);
  }
  if (value > max) throw new ConfigError(source, `${where}.${key} is ${value}, more than the ${max} this lab accepts (is the file corrupt?)`);
  return value;
}

/**
 * Checks an already parsed config (e.g. a bundle manifest's `config`): every size a positive
 * integer within CONFIG_LIMITS, the head split exact, eps a small positive number.
 */
export function checkMusicgenConfig(value: unknown, source: string): MusicgenConfig {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new ConfigError(source, 'config must be an object');
  const config = value as Record<string, unknown>;
  for (const [key, max] of Object.entries(CONFIG_LIMITS)) readInt(config, key, source, 'config', max);
  readInt(config, 'headDim', source, 'config', CONFIG_LIMITS.hiddenSize);
  const c = config as unknown as MusicgenConfig;
  if (c.hiddenSize !== c.numHeads * c.headDim) {
    throw new ConfigError(source, `config.hiddenSize ${c.hiddenSize} is not numHeads ${c.numHeads} × headDim ${c.headDim}`);
  }
  if (typeof c.layerNormEps !== 'number' || !(c.layerNormEps > 0 && c.layerNormEps < 1)) {
    throw new ConfigError(source, `config.layerNormEps must be a number in (0, 1), got ${JSON.stringify(c.layerNormEps)}`);
  }
  return {
    hiddenSize: c.hiddenSize,
    numLayers: c.numLayers,
    numHeads: c.numHeads,
    headDim: c.headDim,
    ffnDim: c.ffnDim,
    codebookSize: c.codebookSize,
    numCodebooks: c.numCodebooks,
    maxPositions: c.maxPositions,
    layerNormEps: c.layerNormEps,
    textHiddenSize: c.textHiddenSize,
    sampleRate: c.sampleRate,
    samplesPerFrame: c.samplesPerFrame,
  };
}

function readObject(obj: Record<string, unknown>, key: string, source: string): Record<string, unknown> {
  const value = obj[key];
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ConfigError(source, `missing object "${key}" (is this a MusicGen config.json?)`);
  }
  return value as Record<string, unknown>;
}

/** Parses a MusicGen `config.json` (already JSON-decoded). `source` names the file in errors. */
export function parseMusicgenConfig(json: unknown, source = 'config.json'): MusicgenConfig {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new ConfigError(source, 'expected a JSON object');
  }
  const root = json as Record<string, unknown>;
  if (root.model_type !== undefined && root.model_type !== 'musicgen') {
    throw new ConfigError(source, `model_type is "${String(root.model_type)}", expected "musicgen"`);
  }
  const decoder = readObject(root, 'decoder', source);
  const text = readObject(root, 'text_encoder', source);
  const audio = readObject(root, 'audio_encoder', source);

  const audioChannels = readInt(decoder, 'audio_channels', source, 'decoder', 2, 1);
  if (audioChannels !== 1) {
    throw new ConfigError(source, `decoder.audio_channels is ${audioChannels}: stereo MusicGen checkpoints are not supported yet`);
  }
  const hiddenSize = readInt(decoder, 'hidden_size', source, 'decoder', CONFIG_LIMITS.hiddenSize);
  const numHeads = readInt(decoder, 'num_attention_heads', source, 'decoder', CONFIG_LIMITS.numHeads);
  if (hiddenSize % numHeads !== 0) {
    throw new ConfigError(source, `decoder.hidden_size ${hiddenSize} is not divisible by num_attention_heads ${numHeads}`);
  }
  const activation = decoder.activation_function ?? 'gelu';
  if (activation !== 'gelu') {
    throw new ConfigError(source, `decoder.activation_function "${String(activation)}" is not supported (MusicGen uses "gelu")`);
  }
  if (decoder.scale_embedding === true) {
    throw new ConfigError(source, 'decoder.scale_embedding=true is not supported (MusicGen does not scale embeddings)');
  }
  const ratios = audio.upsampling_ratios;
  if (!Array.isArray(ratios) || ratios.length === 0 || ratios.length > 16 || !ratios.every((r) => Number.isInteger(r) && r > 0)) {
    throw new ConfigError(source, 'audio_encoder.upsampling_ratios must be a list of 1 to 16 positive integers');
  }
  const samplesPerFrame = (ratios as number[]).reduce((a, b) => a * b, 1);
  if (samplesPerFrame > CONFIG_LIMITS.samplesPerFrame) {
    throw new ConfigError(source, `audio_encoder.upsampling_ratios multiply to ${samplesPerFrame}, more than the ${CONFIG_LIMITS.samplesPerFrame} this lab accepts`);
  }
  return {
    hiddenSize,
    numLayers: readInt(decoder, 'num_hidden_layers', source, 'decoder', CONFIG_LIMITS.numLayers),
    numHeads,
    headDim: hiddenSize / numHeads,
    ffnDim: readInt(decoder, 'ffn_dim', source, 'decoder', CONFIG_LIMITS.ffnDim),
    codebookSize: readInt(decoder, 'vocab_size', source, 'decoder', CONFIG_LIMITS.codebookSize),
    numCodebooks: readInt(decoder, 'num_codebooks', source, 'decoder', CONFIG_LIMITS.numCodebooks),
    maxPositions: readInt(decoder, 'max_position_embeddings', source, 'decoder', CONFIG_LIMITS.maxPositions, 2048),
    layerNormEps: 1e-5,
    textHiddenSize: readInt(text, 'd_model', source, 'text_encoder', CONFIG_LIMITS.textHiddenSize),
    sampleRate: readInt(audio, 'sampling_rate', source, 'audio_encoder', CONFIG_LIMITS.sampleRate, 32000),
    samplesPerFrame,
  };
}

/** Hugging Face tensor names of one checkpoint, in one place. */
export const hfNames = {
  embed: (codebook: number) => `decoder.model.decoder.embed_tokens.${codebook}.weight`,
  layer: (layer: number, rest: string) => `decoder.model.decoder.layers.${layer}.${rest}`,
  finalNorm: (part: 'weight' | 'bias') => `decoder.model.decoder.layer_norm.${part}`,
  lmHead: (codebook: number) => `decoder.lm_heads.${codebook}.weight`,
  encToDec: (part: 'weight' | 'bias') => `enc_to_dec_proj.${part}`,
} as const;
