import {
  expect,
  demoRootWithBackup,
  screenshot,
  startHost,
  test,
  type TendHost,
} from './support/tend';
import { sizes } from './support/sizes';
import type { Page } from '@playwright/test';

let host: TendHost;

test.beforeAll(async () => {
  host = await startHost(demoRootWithBackup(13).root);
});

test.afterAll(async () => {
  await host.stop();
});

/** Whether the focused element is inside the open dialog. */
const focusInDialog = (page: Page) =>
  page.evaluate(() => document.activeElement?.closest('dialog[open]') !== null);

/** Tabs forward and backward through the page and says whether the focus ever left the dialog. */
async function focusStaysIn(page: Page, presses = 25): Promise<boolean> {
  for (let i = 0; i < presses; i++) {
    await page.keyboard.press(i % 5 === 4 ? 'Shift+Tab' : 'Tab');
    const inside = await page.evaluate(() => {
      const active = document.activeElement;
      // The browser's own UI may take the focus from the last element: that is not the page.
      return active === document.body || active?.closest('dialog[open]') !== null;
    });
    if (!inside) return false;
  }
  return true;
}

for (const size of sizes) {
  test(`Clean up holds the focus, and Escape gives it back to its button (${size.name})`, async ({
    page,
  }) => {
    await page.setViewportSize(size);
    await page.goto(host.url);
    const opener = page.getByTestId('reclaim-logs').getByRole('button', { name: 'Clean up…' });
    await opener.click();
    const dialog = page.getByRole('dialog');
    await expect(dialog).toBeVisible();
    expect(await focusInDialog(page)).toBe(true);
    expect(await focusStaysIn(page)).toBe(true);
    await screenshot(page, `dialog-cleanup-${size.name}`);
    await page.keyboard.press('Escape');
    await expect(dialog).toHaveCount(0);
    await expect(opener).toBeFocused();
  });
}

test('Restore latest holds the focus; closed, the focus goes back to the button that opened it', async ({
  page,
}) => {
  await page.goto(`${host.url}#restore`);
  const opener = page.getByRole('button', { name: 'Restore latest backup…' });
  await opener.click();
  const dialog = page.getByRole('dialog', { name: 'Restore the latest backup?' });
  await expect(dialog).toContainText('safety snapshot');
  expect(await focusInDialog(page)).toBe(true);
  expect(await focusStaysIn(page)).toBe(true);
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(opener).toBeFocused();

  // Opened from the Backups page, the dialog shows on the Restore page: the focus lands on the
  // same button there, not on the page's body.
  await page.goto(`${host.url}#backups`);
  await page.getByRole('button', { name: 'Restore latest backup…' }).click();
  await expect(dialog).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Restore latest backup…' })).toBeFocused();
});
