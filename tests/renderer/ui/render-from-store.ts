import { createElement, type ReactElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { createTendStore, type TendState } from '../../../src-renderer/src/store/store';
import { TendStoreContext } from '../../../src-renderer/src/store/use-tend';
import { fakeClient } from '../store/fake-client';

/**
 * A component's markup as the server renders it from a store holding `state` (over a fake
 * client's store). A server render reads the store's first state (zustand's server snapshot),
 * so that is made this one.
 */
export function renderFromStore(element: ReactElement, state: Partial<TendState>): string {
  const store = createTendStore(fakeClient().client);
  store.setState(state);
  const snapshot = store.getState();
  store.getInitialState = () => snapshot;
  return renderToStaticMarkup(createElement(TendStoreContext.Provider, { value: store }, element));
}
