/**
 * MusicgenEngine: the facade the worker, the CLI and the tests use. Plain typed arrays in and out;
 * onnxruntime stays behind the Runtime it was given.
 */
import { decodeAudio } from '../audio/decodeAudio';
import type { BundleFiles } from '../bundle/bundleFiles';
import { HeadIO } from '../bundle/graphContract';
import type { BundleManifest } from '../bundle/manifest';
import type { Runtime } from '../runtime/ort';
import { encodePrompts, type TextConditioning } from '../text/conditioning';
import { batchGeometry, computePromptKv } from './crossAttentionInputs';
import { DecoderForward } from './decoderForward';
import { generateCodes } from './generate';
import { loadModel, type LoadOptions, type LoadedModel } from './loadedModel';
import type { GenerateOptions, GenerateResult } from './types';
import { f32, floatOutput } from './hostTensors';

export type GenerateRequest = GenerateOptions & ({ prompts: readonly string[] } | { conditioning: TextConditioning });

export interface TeacherForcedOutput {
  residPost: Float32Array[]; // per layer [t, d], conditional branch
  logits: Float32Array; // [K, t, V], conditional branch
}

export class MusicgenEngine {
  private constructor(private readonly model: LoadedModel) {}

  static async load(files: BundleFiles, runtime: Runtime, options?: LoadOptions): Promise<MusicgenEngine> {
    return new MusicgenEngine(await loadModel(files, runtime, options));
  }

  get manifest(): BundleManifest {
    return this.model.manifest;
  }

  get runtime(): Runtime {
    return this.model.runtime;
  }

  async encodeText(prompts: readonly string[]): Promise<TextConditioning> {
    const { tokenizer, textEncoder } = this.model;
    if (!tokenizer || !textEncoder) throw new Error(`bundle ${this.manifest.name} has no text encoder: pass encoder states instead of prompts`);
    return encodePrompts(prompts, tokenizer, textEncoder);
  }

  async generate(request: GenerateRequest): Promise<GenerateResult> {
    const conditioning = 'conditioning' in request ? request.conditioning : await this.encodeText(request.prompts);
    return generateCodes(this.model, conditioning, request);
  }

  /** Codes [K, frames] per clip -> 32 kHz waveforms. */
  async decodeAudio(codes: readonly Int32Array[], frames: number): Promise<Float32Array[]> {
    if (!this.model.audioDecoder) throw new Error(`bundle ${this.manifest.name} has no audio decoder (encodec_decode.onnx)`);
    return decodeAudio(this.model.audioDecoder, codes, this.manifest.config.numCodebooks, frames);
  }

  /**
   * Teacher-forced pass over given tokens (all positions at once, causal), conditional branch of
   * prompt 0: the residual stream after every layer and the logits. `tokens` [K, t].
   */
  async teacherForced(conditioning: TextConditioning, tokens: Int32Array, t: number): Promise<TeacherForcedOutput> {
    const { numCodebooks: K, hiddenSize: d, codebookSize: V } = this.manifest.config;
    const { residPost, logits } = await this.teacherForcedPass(conditioning, tokens, t);
    return { residPost: residPost.map((both) => both.slice(0, t * d)), logits: logits.slice(0, K * t * V) }; // cond row: [t, d], [K, t, V]
  }

  /**
   * Teacher-forced pass as `teacherForced`, keeping both guidance branches of prompt 0: the
   * residual stream after every layer, per layer [2 (cond, null), t, d]. `tokens` [K, t].
   */
  async teacherForcedResiduals(conditioning: TextConditioning, tokens: Int32Array, t: number): Promise<Float32Array[]> {
    return (await this.teacherForcedPass(conditioning, tokens, t)).residPost;
  }

  /** Both guidance rows of prompt 0, teacher-forced on `tokens` [K, t]: resid_post per layer [2, t, d] and logits [2, K, t, V]. */
  private async teacherForcedPass(conditioning: TextConditioning, tokens: Int32Array, t: number): Promise<{ residPost: Float32Array[]; logits: Float32Array }> {
    const { numLayers: L, numCodebooks: K } = this.manifest.config;
    if (tokens.length !== K * t) throw new Error(`tokens has ${tokens.length} values, expected ${K}×${t}`);
    const promptKv = await computePromptKv(this.model, conditioning);
    const geometry = batchGeometry(this.model, conditioning, promptKv, [0], new Array(L).fill(1));
    const inputIds = new BigInt64Array(2 * K * t); // [2, K, t]: cond and null rows get the same tokens
    for (let i = 0; i < K * t; i++) inputIds[i] = inputIds[K * t + i] = BigInt(tokens[i]);
    const residPost: Float32Array[] = new Array(L);
    const { logits } = await new DecoderForward(this.model).forwardFresh(geometry, inputIds, t, () => null, (hook, data) => {
      const match = /^blocks\.(\d+)\.hook_resid_post$/.exec(hook);
      if (match) residPost[Number(match[1])] = data.slice(); // [2, t, d]
    });
    return { residPost, logits };
  }

  /**
   * The head graph (final layer norm + lm heads) on any residual stream, e.g. an intermediate
   * layer's (the logit lens): `resid` [b, t, d] -> logits [b, K, t, V].
   */
  async headLogits(resid: Float32Array, b: number, t: number): Promise<Float32Array> {
    const d = this.manifest.config.hiddenSize;
    if (resid.length !== b * t * d) throw new Error(`resid has ${resid.length} values, expected [${b}, ${t}, ${d}]`);
    const out = await this.model.head.run({ [HeadIO.resid]: f32(resid, [b, t, d]) });
    return floatOutput(out, HeadIO.logits, this.model.head.name); // [b, K, t, V]
  }

  async release(): Promise<void> {
    await this.model.release();
  }
}
