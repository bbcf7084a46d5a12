/**
 * The pages a profile changes (Overview, Indexes or Stores, Backups, Restore), on a native, an
 * entity-rag and an Open WebUI demo: each in its profile's words, with its store checks, and
 * a screenshot of each for people to look at.
 */
import path from 'node:path';
import { expect, screenshot, startHost, tempFolder, tend, test } from './support/tend';

const cases = [
  {
    profile: 'native',
    name: 'Local assistant (native)',
    storesPage: 'Indexes',
    restoreWords: 'one collection',
    app: 'the assistant',
  },
  {
    profile: 'entity-rag',
    name: 'Entity-scoped RAG API',
    storesPage: 'Stores',
    restoreWords: 'one entity',
    app: 'the RAG API',
  },
  {
    profile: 'open-webui',
    name: 'Open WebUI',
    storesPage: 'Stores',
    restoreWords: 'everything or a single file',
    app: 'Open WebUI',
  },
] as const;

for (const item of cases) {
  test(`the pages of a ${item.profile} folder speak its words`, async ({ page }) => {
    const root = path.join(tempFolder(`pages-${item.profile}`), 'data');
    tend(['demo', '--profile', item.profile, '--root', root, '--size', 'small', '--seed', '2']);
    const host = await startHost(root);
    try {
      await page.goto(host.url);
      await expect(page.getByTestId('overview-profile')).toHaveText(item.name);
      const checks = page.getByTestId('store-checks');
      await expect(checks.getByTestId('store-checks-headline')).toBeVisible({ timeout: 60_000 });
      await expect(checks.locator('.store-check').first()).toBeVisible();
      await screenshot(page, `${item.profile}-overview`);

      const nav = page.getByRole('navigation', { name: 'Pages' });
      await nav.getByRole('button', { name: item.storesPage }).click();
      await expect(
        page.getByRole('heading', { level: 1, name: item.storesPage, exact: true }),
      ).toBeVisible();
      await expect(page.getByTestId('store-checks-headline')).toBeVisible({ timeout: 60_000 });
      await screenshot(page, `${item.profile}-stores`);

      await nav.getByRole('button', { name: 'Backups' }).click();
      await expect(page.getByText(`Checksummed archives of ${item.app}’s data`)).toBeVisible();
      await screenshot(page, `${item.profile}-backups`);

      await nav.getByRole('button', { name: 'Restore' }).click();
      const intro = page.getByText(/^Bring back everything/);
      await expect(intro).toContainText(item.restoreWords);
      if (item.profile !== 'native') await expect(intro).not.toContainText('collection');
      await screenshot(page, `${item.profile}-restore`);
    } finally {
      await host.stop();
    }
  });
}
