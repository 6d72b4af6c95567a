/**
 * The interventions experiment in the URL (pure): `from`, `to` (concept ids), `method`
 * (replace | adjust | steer) and `sites` (e.g. `3.mlp,2.attn`). Other parameters are kept as they are.
 */
import { BLOCK_MODULES, type BlockModule } from '../../../bundle/graphContract';
import type { InterventionMethod, Site } from '../../../analysis/interventions/kernel';

export interface InterventionsUrlState {
  fromId: string | null;
  toId: string | null;
  method: InterventionMethod | null;
  sites: Site[] | null;
}

const METHODS: readonly InterventionMethod[] = ['replace', 'adjust', 'steer'];
const CONCEPT_ID = /^[a-z0-9-]{1,60}$/;

export function encodeSites(sites: readonly Site[]): string {
  return sites.map((site) => `${site.layer}.${site.module}`).join(',');
}

/** Sites from `3.mlp,2.attn`; null (with the reason) when any part is not layer.module. */
export function decodeSites(text: string): { sites: Site[] | null; problem?: string } {
  if (text.trim() === '') return { sites: [] };
  const sites: Site[] = [];
  for (const part of text.split(',')) {
    const [layerText, module, ...rest] = part.trim().split('.');
    const layer = Number(layerText);
    if (rest.length > 0 || !/^\d+$/.test(layerText ?? '') || !BLOCK_MODULES.includes(module as BlockModule)) {
      return { sites: null, problem: `Sites "${text}" in the link are not layer.module pairs (e.g. 3.mlp,2.attn): ignored.` };
    }
    if (!sites.some((s) => s.layer === layer && s.module === module)) sites.push({ layer, module: module as BlockModule });
  }
  return { sites };
}

export function decodeInterventionsUrl(search: string): { state: InterventionsUrlState; problems: string[] } {
  const params = new URLSearchParams(search);
  const problems: string[] = [];
  const concept = (name: 'from' | 'to') => {
    const value = params.get(name);
    if (value === null) return null;
    if (CONCEPT_ID.test(value)) return value;
    problems.push(`Concept "${value}" in the link is not a concept id: ignored.`);
    return null;
  };
  const fromId = concept('from');
  const toId = concept('to');
  const methodText = params.get('method');
  const method = METHODS.find((m) => m === methodText) ?? null;
  if (methodText !== null && !method) problems.push(`Method "${methodText}" in the link is not one of ${METHODS.join(', ')}: ignored.`);
  const sitesText = params.get('sites');
  let sites: Site[] | null = null;
  if (sitesText !== null) {
    const decoded = decodeSites(sitesText);
    sites = decoded.sites;
    if (decoded.problem) problems.push(decoded.problem);
  }
  return { state: { fromId, toId, method, sites }, problems };
}

/** Writes the state into `currentSearch`, keeping every other parameter and its position. */
export function encodeInterventionsUrl(state: { fromId: string; toId: string; method: InterventionMethod; sites: readonly Site[] }, currentSearch: string): string {
  const params = new URLSearchParams(currentSearch);
  params.set('from', state.fromId);
  params.set('to', state.toId);
  params.set('method', state.method);
  params.set('sites', encodeSites(state.sites));
  return `?${params.toString()}`;
}
