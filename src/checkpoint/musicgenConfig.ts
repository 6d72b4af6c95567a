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

function readInt(obj: Record<string, unknown>, key: string, source: string, where: string, fallback?: number): number {
  const value = obj[key];
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw new ConfigError(source, `${where}.${key} must be a positive integer, got ${JSON.stringify(value)}`);
  }
  return value;
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

  const audioChannels = readInt(decoder, 'audio_channels', source, 'decoder', 1);
  if (audioChannels !== 1) {
    throw new ConfigError(source, `decoder.audio_channels is ${audioChannels}: stereo MusicGen checkpoints are not supported yet`);
  }
  const hiddenSize = readInt(decoder, 'hidden_size', source, 'decoder');
  const numHeads = readInt(decoder, 'num_attention_heads', source, 'decoder');
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
  if (!Array.isArray(ratios) || ratios.length === 0 || !ratios.every((r) => Number.isInteger(r) && r > 0)) {
    throw new ConfigError(source, 'audio_encoder.upsampling_ratios must be a non-empty list of positive integers');
  }
  return {
    hiddenSize,
    numLayers: readInt(decoder, 'num_hidden_layers', source, 'decoder'),
    numHeads,
    headDim: hiddenSize / numHeads,
    ffnDim: readInt(decoder, 'ffn_dim', source, 'decoder'),
    codebookSize: readInt(decoder, 'vocab_size', source, 'decoder'),
    numCodebooks: readInt(decoder, 'num_codebooks', source, 'decoder'),
    maxPositions: readInt(decoder, 'max_position_embeddings', source, 'decoder', 2048),
    layerNormEps: 1e-5,
    textHiddenSize: readInt(text, 'd_model', source, 'text_encoder'),
    sampleRate: readInt(audio, 'sampling_rate', source, 'audio_encoder', 32000),
    samplesPerFrame: (ratios as number[]).reduce((a, b) => a * b, 1),
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
