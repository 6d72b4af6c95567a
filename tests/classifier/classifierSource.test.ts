import { describe, expect, it } from 'vitest';
import { classifierLocation } from '../../src/classifier/classifierSource';

describe('classifierLocation', () => {
  it('reads hf:owner/name[@revision] and huggingface.co addresses as hub repositories', () => {
    expect(classifierLocation('hf:Xenova/ast-finetuned-audioset-10-10-0.4593', 'http://localhost/').name).toBe('Xenova/ast-finetuned-audioset-10-10-0.4593');
    expect(classifierLocation('hf:Xenova/ast@v2', 'http://localhost/').name).toBe('Xenova/ast@v2');
    expect(classifierLocation('https://huggingface.co/Xenova/ast', 'http://localhost/').name).toBe('Xenova/ast');
    expect(classifierLocation('https://huggingface.co/Xenova/ast/tree/refs%2Fpr%2F1', 'http://localhost/').name).toBe('Xenova/ast@refs%2Fpr%2F1');
  });

  it('reads anything else as a folder URL, relative to the page', () => {
    expect(classifierLocation('/models/classifiers/ast-tiny/', 'http://localhost:5173/lab/').name).toBe('http://localhost:5173/models/classifiers/ast-tiny');
    expect(classifierLocation('https://cdn.example/ast/', 'http://localhost/').name).toBe('https://cdn.example/ast');
  });

  it('explains what it wants for empty or unusable input', () => {
    expect(() => classifierLocation('  ', 'http://localhost/')).toThrow('give a classifier folder URL or hf:owner/name');
    expect(() => classifierLocation('https://huggingface.co/Xenova', 'http://localhost/')).toThrow(/not a Hugging Face repository address/);
    expect(() => classifierLocation('hf:not a repo', 'http://localhost/')).toThrow(/not a Hugging Face repository id/);
  });
});
