/**
 * The model a page opens with, from `?model=`, `?hub=` and `?dtype=`: the bundled demo by default,
 * a bundle folder URL, or `hf:<owner>/<repo>[@revision]` in the weight format of `?dtype=` (auto by
 * default; from storage when it is there, with no network request; else the download plan is
 * shown). A bad value is a message, and the demo (or auto) is used.
 */
import { DEFAULT_HUB_ENDPOINT } from '../../../checkpoint/location';
import { parseDtypeChoice } from '../../../hub/downloadPlan';
import { parseHubEndpoint, parseModelParams } from '../../../hub/modelRef';
import type { ModelsStore } from './modelsStore';
import { messageOf } from '../../../errorMessage';

/** The hub endpoint of `?hub=`, or the official one when the value is unusable (openModelFromUrl reports that). */
export function hubEndpointOf(params: URLSearchParams, pageUrl: string): string {
  try {
    return parseHubEndpoint(params.get('hub'), pageUrl);
  } catch {
    return DEFAULT_HUB_ENDPOINT;
  }
}

export async function openModelFromUrl(store: ModelsStore, params: URLSearchParams, pageUrl: string): Promise<void> {
  const state = store.getState();
  void state.refreshStored();
  const { choice, problem } = parseDtypeChoice(params.get('dtype'));
  store.setState({ dtype: choice });
  // Shown after the model starts loading: the load clears messages it does not set itself.
  const reportDtype = () => problem && store.setState({ message: { kind: 'error', text: problem } });
  let ref;
  try {
    ref = parseModelParams(params, pageUrl);
  } catch (error) {
    store.setState({ message: { kind: 'error', text: `${messageOf(error)}. The demo model is loaded instead.` } });
    await state.loadDemo();
    return;
  }
  if (ref.kind === 'demo') await state.loadDemo();
  else if (ref.kind === 'bundle') await state.loadBundleUrl(ref.url);
  else await state.openHubModel(ref);
  reportDtype();
}
