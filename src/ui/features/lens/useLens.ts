/** React access to the DecoderLens slice (provided next to the lab store in main.tsx). */
import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { LensState, LensStore } from './lensStore';

export const LensStoreContext = createContext<LensStore | null>(null);

export function useLens<T>(selector: (state: LensState) => T): T {
  const store = useContext(LensStoreContext);
  if (!store) throw new Error('useLens must be used inside <LensStoreContext.Provider>');
  return useStore(store, selector);
}
