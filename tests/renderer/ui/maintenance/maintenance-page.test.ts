import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { TierSummary } from '../../../../src-shared/models/maintenance';
import { createTendStore } from '../../../../src-renderer/src/store/store';
import { TendStoreContext } from '../../../../src-renderer/src/store/use-tend';
import type { MaintenancePage as MaintenancePageType } from '../../../../src-renderer/src/ui/maintenance/maintenance-page';
import { profileInfo } from '../../../support/profile-info';
import { fakeClient, rootInfo } from '../../store/fake-client';

let MaintenancePage: typeof MaintenancePageType;
beforeAll(async () => {
  vi.stubGlobal('document', { addEventListener: () => undefined });
  ({ MaintenancePage } =
    await import('../../../../src-renderer/src/ui/maintenance/maintenance-page'));
});

const tiers: TierSummary = {
  hot: { rows: 3000, oldest: '2026-09-01T00:00:00.000Z', bytes: 1000 },
  warm: { days: 0, interactions: 0, oldest: null, newest: null, bytes: 0 },
  cold: { files: 0, rows: 0, months: 0, bytes: 0 },
  policy: null,
};

/** The Maintenance page as the server renders it on a folder of this profile. */
function renderMaintenance(profileId: string): string {
  const store = createTendStore(fakeClient().client);
  const info = { ...rootInfo(), profile: profileInfo({ id: profileId }) };
  store.setState({
    root: { status: 'open', info, error: null },
    maintenanceSchedules: { status: 'ready', value: [] },
    maintenanceTiers: { status: 'ready', value: tiers },
  });
  const state = store.getState();
  store.getInitialState = () => state;
  return renderToStaticMarkup(
    createElement(TendStoreContext.Provider, { value: store }, createElement(MaintenancePage)),
  );
}

describe('MaintenancePage', () => {
  it('shows the privacy scrub and the records export on a native folder', () => {
    const html = renderMaintenance('native');
    expect(html).toContain('Privacy scrub after');
    expect(html).toContain('Scrub now');
    expect(html).toContain('id="records-title"');
  });

  it('leaves out the native scrub and the records export on an analytics folder', () => {
    const html = renderMaintenance('analytics');
    expect(html).toContain('Hot: rows in full detail');
    expect(html).toContain('Archive now');
    expect(html).not.toContain('Privacy scrub after');
    expect(html).not.toContain('Scrub now');
    expect(html).not.toContain('id="records-title"');
  });
});
