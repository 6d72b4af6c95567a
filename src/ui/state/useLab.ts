/** React access to the lab store: components select slices, so they re-render only on change. */
import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { LabState, LabStore } from './labStore';

export const LabStoreContext = createContext<LabStore | null>(null);

export function useLab<T>(selector: (state: LabState) => T): T {
  const store = useContext(LabStoreContext);
  if (!store) throw new Error('useLab must be used inside <LabStoreContext.Provider>');
  return useStore(store, selector);
}
