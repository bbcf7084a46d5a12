import fs from 'node:fs';
import path from 'node:path';
import { nativeCategoryRules } from '../src-main/engine/profiles/native/native-rules';
import { categorizerFor } from '../src-main/engine/root/category-rules';

const categorize = categorizerFor(nativeCategoryRules);
import { categories, type Category } from '../src-shared/models/categories';
import { expect, screenshot, test } from './support/tend';

/**
 * Bytes by category, summed here from lstat (hard links once, no .tend/). Folders count their
 * own entries in their own category, as `du -sb` counts them (the root's is irreplaceable).
 */
function measure(root: string): { total: number; files: number; by: Record<Category, number> } {
  const by = Object.fromEntries(categories.map((c) => [c, 0])) as Record<Category, number>;
  const seen = new Set<string>();
  let total = fs.lstatSync(root).size;
  by.irreplaceable += total;
  let files = 0;
  const walk = (dir: string, rel: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const childRel = rel ? `${rel}/${entry.name}` : entry.name;
      if (childRel === '.tend') continue;
      const full = path.join(dir, entry.name);
      const stat = fs.lstatSync(full);
      if (stat.isDirectory()) {
        by[categorize(childRel)!] += stat.size;
        total += stat.size;
        walk(full, childRel);
        continue;
      }
      const key = `${stat.dev}:${stat.ino}`;
      if (seen.has(key)) continue;
      seen.add(key);
      by[categorize(childRel)!] += stat.size;
      total += stat.size;
      files += 1;
    }
  };
  walk(root, '');
  return { total, files, by };
}

test('Overview shows the true size of the data folder and of each category', async ({
  page,
  demoHost,
}) => {
  const expected = measure(demoHost.root!);
  expect(expected.total).toBeGreaterThan(10_000_000);

  await page.goto(demoHost.url);
  await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();
  await expect(page.getByText(demoHost.root!).first()).toBeVisible();
  // The token leaves the address bar once the page has it.
  expect(page.url()).not.toContain('token=');

  const total = page.getByTestId('stat-total').locator('.stat-value');
  await expect(total).toHaveAttribute('data-bytes', String(expected.total));
  await expect(page.getByTestId('stat-total')).toContainText(
    `${expected.files.toLocaleString('en-US')} files`,
  );
  for (const category of categories) {
    await expect(
      page.getByTestId(`category-${category}`).locator('.category-bytes'),
    ).toHaveAttribute('data-bytes', String(expected.by[category]));
  }
  await expect(page.getByTestId('stat-backup')).toContainText('None yet');
  await screenshot(page, 'overview');
  // "None yet" says what to do next: the Backups page, where a destination is chosen.
  await page.getByTestId('stat-backup').getByRole('button', { name: 'Set up a backup' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Backups' })).toBeVisible();
  await expect(page).toHaveURL(/#backups$/);
});

test('the sidebar reaches every page and the address keeps the page across a reload', async ({
  page,
  demoHost,
}) => {
  await page.goto(demoHost.url);
  await page.getByRole('button', { name: 'Settings' }).click();
  await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible();
  expect(page.url()).toContain('#settings');
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible();
  await page.getByRole('button', { name: 'Overview' }).click();
  await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();
});
