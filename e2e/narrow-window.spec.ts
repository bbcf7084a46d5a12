import path from 'node:path';
import {
  demoRootWithBackup,
  expect,
  projectDir,
  screenshot,
  startHost,
  test,
} from './support/tend';

/** The desktop app's minimum window, where a long path or a state must still read whole. */
const narrow = { width: 900, height: 600 };

test('at 900×600 the largest files keep their names and the backups their verify state on one line', async ({
  page,
}) => {
  const { root, backupId } = demoRootWithBackup(17);
  const host = await startHost(root);
  try {
    await page.setViewportSize(narrow);
    await page.goto(host.url);
    const largest = page.locator('.usage-largest');
    await expect(largest).toContainText('assistant.db');
    await largest.scrollIntoViewIfNeeded();
    await screenshot(page, 'overview-900x600');
    // The table alone, to read its paths (the whole page is 4,000 pixels tall).
    await largest.screenshot({
      path: path.join(
        projectDir,
        'e2e-output',
        'screenshots',
        'overview-900x600-largest-files.png',
      ),
    });
    // Every row's file name shows whole (the folders before it are what is cut; a name longer
    // than the cell loses the end of its stem, never its extension), and the cell keeps the
    // whole path as its tooltip.
    const rows = await largest.locator('tbody tr').evaluateAll((trs) =>
      trs.map((tr) => {
        const cell = tr.querySelector('td.usage-file-cell') as HTMLElement;
        const name = cell.querySelector('.usage-file-name') as HTMLElement | null;
        const stem = cell.querySelector('.usage-file-stem') as HTMLElement | null;
        const extension = cell.querySelector('.usage-file-ext') as HTMLElement | null;
        const folder = cell.querySelector('.usage-file-folder') as HTMLElement | null;
        return {
          title: cell.title,
          name: name?.textContent ?? null,
          nameCut: stem ? stem.scrollWidth > stem.clientWidth : true,
          // The extension, when there is one, always shows whole inside the cell.
          extensionShown:
            extension === null ||
            extension.getBoundingClientRect().right <= cell.getBoundingClientRect().right + 1,
          // A name longer than the cell (a 64-digit hash) may be cut only once its folders
          // have given up all their room.
          foldersGaveWay: name !== null && (folder === null || folder.clientWidth < 40),
        };
      }),
    );
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row.nameCut && !row.foldersGaveWay, row.title).toBe(false);
      expect(row.extensionShown, row.title).toBe(true);
      expect(row.title.endsWith(`/${row.name}`) || row.title === row.name, row.title).toBe(true);
    }

    await page.goto(`${host.url}#backups`);
    const state = page.getByTestId(`backup-${backupId}`).getByText('Not verified yet');
    await expect(state).toBeVisible();
    await screenshot(page, 'backups-900x600-verify-state');
    const lines = await state.evaluate((element) => {
      const range = document.createRange();
      range.selectNodeContents(element);
      return new Set(Array.from(range.getClientRects()).map((rect) => Math.round(rect.top))).size;
    });
    expect(lines).toBe(1);
  } finally {
    await host.stop();
  }
});
