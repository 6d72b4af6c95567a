/** React access to the Interventions store (provided next to the lab store in main.tsx). */
import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { InterventionsState, InterventionsStore } from './interventionsStore';

export const InterventionsStoreContext = createContext<InterventionsStore | null>(null);

export function useInterventions<T>(selector: (state: InterventionsState) => T): T {
  const store = useContext(InterventionsStoreContext);
  if (!store) throw new Error('useInterventions must be used inside <InterventionsStoreContext.Provider>');
  return useStore(store, selector);
}
