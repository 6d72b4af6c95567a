import { describe, expect, it } from 'vitest';
import { makeTinyCheckpoint } from '../../src/demo/tinyCheckpoint';
import { parseMusicgenConfig } from '../../src/checkpoint/musicgenConfig';
import { makeToyCheckpoint } from '../../src/toy/toyCheckpoint';

describe('toy checkpoint', () => {
  it('has every tensor of a Hugging Face MusicGen decoder, under the real names, with its config shapes', () => {
    const toy = makeToyCheckpoint();
    const tiny = makeTinyCheckpoint(1);
    const names = (tensors: { name: string }[]) => tensors.map((t) => t.name.replace(/layers\.\d+\./, 'layers.N.')).filter((n, i, all) => all.indexOf(n) === i).sort();
    expect(names(toy.tensors)).toEqual(names(tiny.tensors));
    const config = parseMusicgenConfig(toy.config, 'toy');
    expect(config).toMatchObject({ numLayers: 6, hiddenSize: 96, numHeads: 6, codebookSize: 64, numCodebooks: 4, samplesPerFrame: 640 });
    for (const t of toy.tensors) expect(t.data.length, t.name).toBe(t.shape.reduce((a, b) => a * b, 1));
  });

  it('leaves every site outside the mechanism exactly zero, so unused module outputs are 0', () => {
    const { tensors } = makeToyCheckpoint();
    const zero = (name: string) => tensors.find((t) => t.name === `decoder.model.decoder.layers.${name}`)!.data.every((v) => v === 0);
    expect(zero('0.self_attn.out_proj.weight')).toBe(true);
    expect(zero('1.encoder_attn.out_proj.weight')).toBe(true);
    expect(zero('3.fc2.weight')).toBe(true);
    for (const part of ['self_attn.out_proj.weight', 'encoder_attn.out_proj.weight', 'fc2.weight']) expect(zero(`5.${part}`)).toBe(true);
    expect(zero('4.fc2.weight')).toBe(false);
    expect(zero('3.encoder_attn.out_proj.weight')).toBe(false);
    expect(zero('1.self_attn.out_proj.weight')).toBe(false);
  });
});
