import fs from 'node:fs';
import path from 'node:path';
import { expect, makeDemoRoot, screenshot, startHost, test } from './support/tend';
import { sizes } from './support/sizes';

test('Indexes: a corrupted index is found bad and heals; health, compaction and a test search work', async ({
  page,
}) => {
  const root = makeDemoRoot(3);
  const broken = path.join(
    root,
    'local_data/internal_assistant/vector_store/product-research/index.hnsw',
  );
  fs.truncateSync(broken, Math.floor(fs.statSync(broken).size / 3));
  const host = await startHost(root);
  try {
    await page.goto(`${host.url}#indexes`);
    await expect(page.getByRole('heading', { name: 'Indexes' })).toBeVisible();
    const research = page.getByTestId('index-product-research');
    const handbook = page.getByTestId('index-engineering-handbook');
    await expect(handbook.getByText('Not checked yet')).toBeVisible();
    await expect(handbook.getByTestId('figure-parameters')).toContainText('384-d cosine');

    // The truncated index: health says bad with the reason, and a rebuild starts by itself.
    await research.getByRole('button', { name: 'Check health' }).click();
    await expect(research.getByText('Unhealthy')).toBeVisible();
    await expect(research.getByRole('list', { name: /Health checks/ })).toContainText(
      'The index file does not load',
    );
    await expect(research.getByTestId('figure-compaction')).toContainText(
      'the index file does not load',
    );
    await expect(research.getByRole('button', { name: 'Check health' })).toBeEnabled();
    await research.getByRole('button', { name: 'Check health' }).click();
    await expect(research.getByText('Healthy', { exact: true })).toBeVisible();
    await expect(research.getByTestId('figure-recall')).toContainText(/[01]\.\d{3}/);

    // A test search from a stored chunk: the chunk itself comes first, with a score of 1.
    await handbook.getByRole('button', { name: 'Try a search from a stored chunk' }).click();
    await handbook.getByRole('button', { name: 'Find neighbours' }).click();
    const rows = handbook.getByRole('table', { name: 'Nearest neighbours' }).locator('tbody tr');
    await expect(rows).toHaveCount(10);
    await expect(rows.first()).toContainText('1.0000');

    // Compact now: searching still answers while it runs, and the page records it.
    await handbook.getByRole('button', { name: 'Compact now' }).click();
    await handbook.getByRole('button', { name: 'Find neighbours' }).click();
    await expect(rows).toHaveCount(10);
    await expect(handbook.getByTestId('figure-compaction')).toContainText('on demand', {
      timeout: 60_000,
    });
    // Where it was started, the panel says what the compaction did.
    await expect(handbook.getByTestId('job-outcome')).toContainText('Compacted');
    await expect(handbook.getByTestId('job-outcome')).toContainText('rebuilt from the database');
    await screenshot(page, 'indexes');
  } finally {
    await host.stop();
  }
});

for (const size of sizes) {
  test(`Indexes at ${size.name}: every figure and button in view`, async ({ page, demoHost }) => {
    await page.setViewportSize(size);
    await page.goto(`${demoHost.url}#indexes`);
    const handbook = page.getByTestId('index-engineering-handbook');
    await expect(handbook.getByTestId('figure-parameters')).toContainText('384-d cosine');
    const cut = await page.evaluate(
      () =>
        Array.from(document.querySelectorAll('.index-panel button, .index-figure')).filter(
          (element) => element.getBoundingClientRect().right > window.innerWidth,
        ).length,
    );
    expect(cut).toBe(0);
    await screenshot(page, `indexes-${size.name}`);
  });
}
