import { describe, expect, it } from 'vitest';
import { decodeInterventionsUrl, decodeSites, encodeInterventionsUrl, encodeSites } from '../../../../src/ui/features/interventions/urlParams';

describe('interventions URL parameters', () => {
  it('round-trips concepts, method and sites, keeping other parameters in place', () => {
    const state = { fromId: 'guitar', toId: 'edm', method: 'adjust' as const, sites: [{ layer: 3, module: 'mlp' as const }, { layer: 0, module: 'cross_attn' as const }] };
    const search = encodeInterventionsUrl(state, '?model=%2Fmodels%2Fsmall%2F&view=interventions&from=piano');
    expect(search).toBe('?model=%2Fmodels%2Fsmall%2F&view=interventions&from=guitar&to=edm&method=adjust&sites=3.mlp%2C0.cross_attn');
    expect(decodeInterventionsUrl(search)).toEqual({ state, problems: [] });
  });

  it('ignores bad values with a message each', () => {
    const { state, problems } = decodeInterventionsUrl('?from=Guitar!&method=swap&sites=3.mlp,x.attn');
    expect(state).toEqual({ fromId: null, toId: null, method: null, sites: null });
    expect(problems).toEqual([
      'Concept "Guitar!" in the link is not a concept id: ignored.',
      'Method "swap" in the link is not one of replace, adjust, steer: ignored.',
      'Sites "3.mlp,x.attn" in the link are not layer.module pairs (e.g. 3.mlp,2.attn): ignored.',
    ]);
  });

  it('reads sites once each, an empty list as none', () => {
    expect(decodeSites('1.attn, 1.attn,2.mlp')).toEqual({ sites: [{ layer: 1, module: 'attn' }, { layer: 2, module: 'mlp' }] });
    expect(decodeSites('')).toEqual({ sites: [] });
    expect(decodeSites('1.mlp.x').sites).toBeNull();
    expect(encodeSites([])).toBe('');
  });
});
