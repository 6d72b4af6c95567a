import { describe, expect, it } from 'vitest';
import { hubModelLabel, hubStoredId, parseHubEndpoint, parseHubRepo, parseModelParams, refuseUnsupportedRepo } from '../../src/hub/modelRef';

const PAGE = 'https://lab.example/app/';

describe('model URL grammar', () => {
  it('defaults to the demo model and the official hub', () => {
    expect(parseModelParams(new URLSearchParams(''), PAGE)).toEqual({ kind: 'demo' });
    expect(parseModelParams(new URLSearchParams('model=hf:facebook/musicgen-small'), PAGE)).toEqual({
      kind: 'hub',
      repo: 'facebook/musicgen-small',
      revision: 'main',
      endpoint: 'https://huggingface.co',
    });
  });

  it('reads a revision, a mirror endpoint and a bundle folder URL', () => {
    expect(parseModelParams(new URLSearchParams('model=hf:facebook/musicgen-medium@refs/pr/3&hub=http://127.0.0.1:8080/'), PAGE)).toEqual({
      kind: 'hub',
      repo: 'facebook/musicgen-medium',
      revision: 'refs/pr/3',
      endpoint: 'http://127.0.0.1:8080',
    });
    expect(parseModelParams(new URLSearchParams('model=models/musicgen-small/'), PAGE)).toEqual({ kind: 'bundle', url: 'https://lab.example/app/models/musicgen-small/' });
  });

  it('gives one clear line for bad values', () => {
    expect(() => parseHubRepo('hf:musicgen-small')).toThrow(/is not a hub repository \(expected owner\/name/);
    expect(() => parseHubRepo('hf:facebook/musicgen-small@')).toThrow(/not a valid revision/);
    expect(() => parseHubRepo('hf:facebook/musicgen-small@../x')).toThrow(/not a valid revision/);
    expect(() => parseHubEndpoint('ftp://mirror')).toThrow(/must be an http\(s\) URL/);
    expect(() => parseModelParams(new URLSearchParams('model=hf:a/b&hub=http://[bad'), PAGE)).toThrow(/is not a URL/);
  });

  it('refuses melody and stereo checkpoints by name', () => {
    expect(() => refuseUnsupportedRepo('facebook/musicgen-melody')).toThrow(/melody-conditioned/);
    expect(() => parseHubRepo('facebook/musicgen-stereo-large')).toThrow(/stereo MusicGen; the lab runs mono/);
    expect(() => refuseUnsupportedRepo('facebook/musicgen-large')).not.toThrow();
  });

  it('labels a model by repo and non-default revision', () => {
    expect(hubModelLabel(parseHubRepo('facebook/musicgen-small'))).toBe('facebook/musicgen-small');
    expect(hubModelLabel(parseHubRepo('facebook/musicgen-small@v1'))).toBe('facebook/musicgen-small@v1');
  });

  it('gives each dtype of a repo its own stored id', () => {
    const ref = { repo: 'facebook/musicgen-small', revision: 'main' };
    expect(hubStoredId(ref, 'fp32')).toBe('hf-facebook--musicgen-small-main-fp32');
    expect(hubStoredId(ref, 'q8')).toBe('hf-facebook--musicgen-small-main-q8');
    expect(hubStoredId({ repo: 'facebook/musicgen-small', revision: 'refs/pr/3' }, 'q4')).toBe('hf-facebook--musicgen-small-refs--pr--3-q4');
  });
});
