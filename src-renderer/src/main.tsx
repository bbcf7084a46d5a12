/**
 * The renderer's entry: one client (the preload's or the web host's), one store, one app.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { connectClient } from './client/connect';
import { connectStoreEvents } from './store/events';
import { pageFromHash } from './store/navigation-slice';
import { createTendStore } from './store/store';
import { TendStoreContext } from './store/use-tend';
import { App } from './ui/shell/app';

// The event stream of `tend serve` failing is the first sign that Tend stopped: the store
// then asks whether it is still there (the store is made after the client, hence the hop).
let streamFailed = () => {};
const client = connectClient(window, { onStreamError: () => streamFailed() });
const store = createTendStore(client, { initialPage: pageFromHash(window.location.hash) });
streamFailed = () => void store.getState().probeConnection();
connectStoreEvents(store, client);
void store.getState().loadRoot();

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element.');
createRoot(container).render(
  <StrictMode>
    <TendStoreContext.Provider value={store}>
      <App />
    </TendStoreContext.Provider>
  </StrictMode>,
);
