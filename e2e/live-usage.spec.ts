import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { expect, makeDemoRoot, screenshot, startHost, test } from './support/tend';

/** What `du -sb` says the assistant's data takes (Tend's own .tend/ left out). */
function duApparent(root: string): number {
  return Number(
    execFileSync('du', ['-sb', '--exclude=.tend', root], { encoding: 'utf8' }).split('\t')[0],
  );
}

test('the Overview follows a file written into the data folder, without a click', async ({
  page,
}) => {
  const root = makeDemoRoot(13);
  const host = await startHost(root);
  try {
    await page.goto(host.url);
    await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();
    const total = page.getByTestId('stat-total').locator('.stat-value');
    await expect(total).toHaveAttribute('data-bytes', String(duApparent(root)));
    await expect(page.getByTestId('usage-watch')).toContainText('live');
    const before = await total.textContent();

    // The assistant writes a new document while the page is open.
    const document = path.join(root, 'local_data/internal_assistant/documents/inbox/new.pdf');
    fs.mkdirSync(path.dirname(document), { recursive: true });
    fs.writeFileSync(document, Buffer.alloc(48 * 1024 * 1024, 1));
    const after = duApparent(root);

    await expect(total).toHaveAttribute('data-bytes', String(after));
    expect(await total.textContent()).not.toBe(before);
    await expect(page.getByTestId('category-irreplaceable')).toBeVisible();
    await screenshot(page, 'overview-live-usage');
  } finally {
    await host.stop();
  }
});
