import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { TendState, TendStore } from './store';

/** The store the app was started with; provided once in main.tsx. */
export const TendStoreContext = createContext<TendStore | null>(null);

/** Reads the store with a selector; components re-render only when the selected part changes. */
export function useTend<T>(selector: (state: TendState) => T): T {
  const store = useContext(TendStoreContext);
  if (!store) throw new Error('useTend needs a TendStoreContext provider.');
  return useStore(store, selector);
}
