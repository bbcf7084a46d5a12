import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { createTendStore, type TendState } from '../../../../src-renderer/src/store/store';
import { profileInfo } from '../../../support/profile-info';
import { TendStoreContext } from '../../../../src-renderer/src/store/use-tend';
import type { OverviewPage as OverviewPageType } from '../../../../src-renderer/src/ui/overview/overview-page';
import { fakeClient, rootInfo } from '../../store/fake-client';
import { healthFigures } from '../../store/health-figures';
import { stoppedStatus } from '../../store/unattended-status';

// The dialog module (cleanup, on this page) follows focus on `document` from its import on; a
// server render needs no more of a document than somewhere to listen.
let OverviewPage: typeof OverviewPageType;
beforeAll(async () => {
  vi.stubGlobal('document', { addEventListener: () => undefined });
  ({ OverviewPage } = await import('../../../../src-renderer/src/ui/overview/overview-page'));
});

/** The Overview as the server renders it from a store already holding these answers. */
function renderOverview(change: Partial<TendState> = {}): string {
  const store = createTendStore(fakeClient().client);
  store.setState({
    root: { status: 'open', info: rootInfo(), error: null },
    unattended: { status: 'ready', value: stoppedStatus },
    health: { status: 'ready', value: healthFigures },
    ...change,
  });
  // A server render reads the store's first state (zustand's server snapshot): make it this.
  const state = store.getState();
  store.getInitialState = () => state;
  return renderToStaticMarkup(
    createElement(TendStoreContext.Provider, { value: store }, createElement(OverviewPage)),
  );
}

describe('OverviewPage', () => {
  it('says that backups stopped, above everything else on the page', () => {
    const html = renderOverview();
    const banner = html.indexOf('data-testid="backup-stopped-banner"');
    expect(banner).toBeGreaterThan(0);
    expect(html).toContain('No backup for 3 days: the backup disk “USB” is not plugged in.');
    expect(banner).toBeLessThan(html.indexOf('aria-label="At a glance"'));
  });

  it('shows the Health panel with its three figures and the analytics chart', () => {
    const html = renderOverview();
    for (const id of ['health-panel', 'health-success', 'health-verified', 'health-growth']) {
      expect(html).toContain(`data-testid="${id}"`);
    }
    expect(html).toContain('91.6%');
    expect(html).toContain('Backup success, last 30 days');
    expect(html).toContain('+20 MiB (+13.3%)');
    expect(html).toContain('data-testid="analytics-chart"');
  });

  it('names the folder’s profile, and says plainly that another app keeps no analytics Tend reads', () => {
    const info = {
      ...rootInfo(),
      profile: profileInfo({ id: 'open-webui', name: 'Open WebUI', appName: 'Open WebUI' }),
    };
    const html = renderOverview({
      root: { status: 'open', info, error: null },
      analytics: {
        status: 'error',
        error: { code: 'PROFILE_UNSUPPORTED', message: 'no assistant store' },
        value: null,
      },
    });
    expect(html).toContain('<span data-testid="overview-profile">Open WebUI</span>');
    expect(html).toContain('How Open WebUI was used, day by day');
    expect(html).toContain('Open WebUI’s folder keeps no analytics that Tend reads.');
    expect(html).not.toContain('Could not read the daily analytics');
  });
});
