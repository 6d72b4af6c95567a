/** React access to the Models panel's store. */
import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { ModelsState, ModelsStore } from './modelsStore';

export const ModelsStoreContext = createContext<ModelsStore | null>(null);

export function useModels<T>(selector: (state: ModelsState) => T): T {
  const store = useContext(ModelsStoreContext);
  if (!store) throw new Error('useModels must be used inside <ModelsStoreContext.Provider>');
  return useStore(store, selector);
}
