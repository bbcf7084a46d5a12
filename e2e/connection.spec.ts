import { expect, makeDemoRoot, screenshot, startHost, tempFolder, test } from './support/tend';
import { sizes } from './support/sizes';

for (const size of sizes) {
  test(`A stopped host is said once, page-wide; a restarted one asks for its new address (${size.name})`, async ({
    page,
  }) => {
    const root = makeDemoRoot(14);
    const stateDir = tempFolder('state');
    const first = await startHost(root, { stateDir });
    const port = Number(new URL(first.origin).port);
    let second: Awaited<ReturnType<typeof startHost>> | null = null;
    try {
      await page.setViewportSize(size);
      await page.goto(`${first.url}#backups`);
      await expect(page.getByRole('heading', { name: 'Backups', exact: true })).toBeVisible();

      await first.stop();
      // Once, for the whole page; no panel of its own shows the failure, nothing spins there.
      const banner = page.getByTestId('connection-banner');
      await expect(banner).toHaveAttribute('data-status', 'stopped');
      await expect(banner).toContainText('Tend stopped');
      await expect(page.getByTestId('connection-banner')).toHaveCount(1);
      await expect(page.locator('.error-box')).toHaveCount(0);
      await expect(page.locator('main .spin')).toHaveCount(1);
      await expect(banner.locator('.spin')).toHaveCount(1);
      await screenshot(page, `connection-stopped-${size.name}`);

      // Started again on the same port: it has a new key. The page, asking by itself, finds
      // out and says to open the new address; it offers no "Try again" that cannot work.
      second = await startHost(root, { port, stateDir });
      await expect(banner).toHaveAttribute('data-status', 'stale-key', { timeout: 30_000 });
      await expect(banner).toContainText('open its new address');
      await expect(banner).not.toContainText('without its key');
      await expect(page.getByRole('button', { name: 'Try again' })).toHaveCount(0);
      await screenshot(page, `connection-restarted-${size.name}`);

      await page.goto(second.url);
      await expect(page.getByTestId('connection-banner')).toHaveCount(0);
      await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();
    } finally {
      await second?.stop();
      await first.stop();
    }
  });
}
