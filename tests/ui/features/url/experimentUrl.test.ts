import { describe, expect, it } from 'vitest';
import { MAX_PROMPT_CHARS } from '../../../../src/options/generationOptions';
import { decodeExperiment, DEFAULT_EXPERIMENT, encodeExperiment, historyActionFor, type ExperimentState } from '../../../../src/ui/features/url/experimentUrl';

const EXPERIMENT: ExperimentState = {
  backend: 'wasm',
  settings: { prompt: 'Compose a calm jazz piece, with a piano melody & 100% brass?', seconds: 1.5, seed: 7, topK: 50, temperature: 0.8, guidanceScale: 4.5 },
  view: 'lens',
  lensDepths: [1, 3, 4],
  clip: { runId: 'r-k3x9-a1', depth: 3 },
};

describe('experiment URL', () => {
  it('round-trips every field', () => {
    const search = encodeExperiment(EXPERIMENT, '');
    expect(decodeExperiment(search)).toEqual({ state: EXPERIMENT, problems: [] });
    expect(decodeExperiment(encodeExperiment(DEFAULT_EXPERIMENT, ''))).toEqual({ state: DEFAULT_EXPERIMENT, problems: [] });
    const fullClip = { ...EXPERIMENT, clip: { runId: 'r-1', depth: null } };
    expect(decodeExperiment(encodeExperiment(fullClip, '')).state.clip).toEqual({ runId: 'r-1', depth: null });
  });

  it('writes readable parameters, settings included at their defaults', () => {
    const params = new URLSearchParams(encodeExperiment(DEFAULT_EXPERIMENT, ''));
    expect(Object.fromEntries(params)).toEqual({
      backend: 'auto',
      prompt: DEFAULT_EXPERIMENT.settings.prompt,
      seconds: '4',
      seed: '42',
      topk: '250',
      temperature: '1',
      guidance: '3',
      view: 'generate',
      depths: 'all',
    });
  });

  it('keeps parameters it does not own, in place, and drops a cleared clip', () => {
    const search = encodeExperiment({ ...EXPERIMENT, clip: null }, '?model=hf:facebook/musicgen-small&clip=r-old&hub=http://mirror/&x=1');
    const params = new URLSearchParams(search);
    expect([...params.keys()].slice(0, 3)).toEqual(['model', 'hub', 'x']);
    expect(params.get('model')).toBe('hf:facebook/musicgen-small');
    expect(params.get('hub')).toBe('http://mirror/');
    expect(params.has('clip')).toBe(false);
  });

  it('reads a link without experiment parameters as the defaults', () => {
    expect(decodeExperiment('')).toEqual({ state: DEFAULT_EXPERIMENT, problems: [] });
    expect(decodeExperiment('?model=/models/tiny/')).toEqual({ state: DEFAULT_EXPERIMENT, problems: [] });
  });

  it('replaces invalid values by defaults, with one message each', () => {
    const { state, problems } = decodeExperiment(
      '?backend=cuda&prompt=%20&seconds=abc&seed=-3&topk=2.5&temperature=99&guidance=&view=charts&depths=1,x&clip=..%2Fetc',
    );
    expect(state).toEqual(DEFAULT_EXPERIMENT);
    expect(problems).toEqual([
      'Unknown backend "cuda" in the link: using auto (choices: auto, webgpu, wasm).',
      'The prompt in the link is empty: using the default prompt.',
      'Duration (s) "abc" in the link is not a number: using 4.',
      'Seed -3 in the link is outside 0–4294967295: using 42.',
      'Top-k 2.5 in the link is not a whole number: using 250.',
      'Temperature 99 in the link is outside 0.05–5: using 1.',
      'Guidance "" in the link is not a number: using 3.',
      'Unknown view "charts" in the link: showing Generate (choices: generate, lens, interventions, models).',
      'DecoderLens depths "1,x" in the link are not whole numbers from 1 up: using every depth.',
      'Clip "../etc" in the link is not a run id (e.g. r-abc123 or r-abc123@2): no clip selected.',
    ]);
  });

  it('sorts and de-duplicates depths, and refuses an over-long prompt', () => {
    expect(decodeExperiment('?depths=4,1,4,2').state.lensDepths).toEqual([1, 2, 4]);
    const { state, problems } = decodeExperiment(`?prompt=${'a'.repeat(MAX_PROMPT_CHARS + 1)}`);
    expect(state.settings.prompt).toBe(DEFAULT_EXPERIMENT.settings.prompt);
    expect(problems[0]).toBe(`The prompt in the link is ${MAX_PROMPT_CHARS + 1} characters long (at most ${MAX_PROMPT_CHARS}): using the default prompt.`);
    // The longest prompt the lab accepts survives a link.
    const longest = 'b'.repeat(MAX_PROMPT_CHARS);
    expect(decodeExperiment(encodeExperiment({ ...DEFAULT_EXPERIMENT, settings: { ...DEFAULT_EXPERIMENT.settings, prompt: longest } }, '')).state.settings.prompt).toBe(longest);
  });
});

describe('historyActionFor', () => {
  it('replaces the entry while typing settings', () => {
    expect(historyActionFor(EXPERIMENT, { ...EXPERIMENT, settings: { ...EXPERIMENT.settings, prompt: 'x' } })).toBe('replace');
    expect(historyActionFor(EXPERIMENT, { ...EXPERIMENT, settings: { ...EXPERIMENT.settings, seed: 8, topK: 9 } })).toBe('replace');
  });

  it('pushes an entry on committed changes, also when settings changed alongside', () => {
    expect(historyActionFor(EXPERIMENT, { ...EXPERIMENT, view: 'generate' })).toBe('push');
    expect(historyActionFor(EXPERIMENT, { ...EXPERIMENT, lensDepths: null })).toBe('push');
    expect(historyActionFor(EXPERIMENT, { ...EXPERIMENT, backend: 'auto' })).toBe('push');
    expect(historyActionFor(EXPERIMENT, { ...EXPERIMENT, clip: null, settings: { ...EXPERIMENT.settings, seed: 1 } })).toBe('push');
  });

  it('does nothing when nothing in the URL changes', () => {
    expect(historyActionFor(EXPERIMENT, { ...EXPERIMENT, settings: { ...EXPERIMENT.settings } })).toBe('none');
  });
});
