import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { expect, makeDemoRoot, screenshot, startHost, test } from './support/tend';
import { sizes } from './support/sizes';

/** `du` of the root without Tend's own `.tend/`: apparent (-b) or allocated (-B1). */
function du(root: string, flag: '-sb' | '-sB1'): number {
  const size = (target: string) =>
    Number(execFileSync('du', [flag, target], { encoding: 'utf8' }).split('\t')[0]);
  const tend = path.join(root, '.tend');
  return size(root) - (fs.existsSync(tend) ? size(tend) : 0);
}

test('the folder map matches du, drills into a folder and lists its largest files', async ({
  page,
  demoHost,
}) => {
  await page.goto(demoHost.url);
  const total = page.getByTestId('usage-map-total');
  await expect(total).toHaveAttribute('data-bytes', /\d+/);
  const root = demoHost.root!;
  expect(Number(await total.getAttribute('data-bytes'))).toBe(du(root, '-sb'));
  expect(Number(await total.getAttribute('data-allocated'))).toBe(du(root, '-sB1'));

  const map = page.getByTestId('usage-map');
  // The tile's header strip opens it (its middle is covered by its own subfolders).
  await map.getByRole('button', { name: /^local_data:/ }).click({ position: { x: 12, y: 6 } });
  await expect(map.getByRole('navigation', { name: 'Folder' })).toContainText('local_data');
  await expect(map.getByRole('button', { name: /^internal_assistant:/ })).toBeVisible();
  await expect(map.locator('.usage-largest')).toContainText('internal_assistant/assistant.db');
  await screenshot(page, 'usage-map');

  await map.getByRole('button', { name: 'Data folder' }).click();
  await expect(map.getByRole('button', { name: /^local_data:/ })).toBeVisible();
  await expect(page.getByTestId('usage-growth')).toBeVisible();
});

test('cleaning up old logs deletes exactly the files the preview listed', async ({ page }) => {
  const host = await startHost(makeDemoRoot(2));
  try {
    const root = host.root!;
    const listAll = () =>
      (fs.readdirSync(root, { recursive: true }) as string[])
        .map((p) => p.split(path.sep).join('/'))
        .filter((p) => !p.startsWith('.tend') && fs.lstatSync(path.join(root, p)).isFile())
        .sort();

    await page.goto(host.url);
    const row = page.getByTestId('reclaim-logs');
    await expect(row).toContainText('files');
    await row.getByRole('button', { name: 'Clean up…' }).click();
    const dialog = page.getByRole('dialog');
    await expect(dialog.getByTestId('cleanup-total')).toBeVisible();
    const listed = await dialog.locator('tbody td.cleanup-path').allTextContents();
    expect(listed.length).toBeGreaterThan(10);
    for (const file of listed) expect(fs.existsSync(path.join(root, file))).toBe(true);
    await screenshot(page, 'usage-cleanup-preview');

    const before = listAll();
    await dialog.getByRole('button', { name: /^Delete \d+ files/ }).click();
    await expect(dialog).toBeHidden();
    await expect
      .poll(() => listed.filter((file) => fs.existsSync(path.join(root, file))).length, {
        timeout: 60_000,
      })
      .toBe(0);
    const after = listAll();
    expect(before.filter((file) => !after.includes(file)).sort()).toEqual([...listed].sort());
    expect(after.filter((file) => !before.includes(file))).toEqual([]);
    // Where it was started, the panel says what the cleanup did.
    const outcome = page.getByTestId('usage-reclaimable').getByTestId('job-outcome');
    await expect(outcome).toContainText('Cleaned up');
    await expect(outcome).toContainText(`${listed.length} files cleaned`);
  } finally {
    await host.stop();
  }
});

/** The WCAG contrast ratio of two sRGB colours, each as [r, g, b] from 0 to 1. */
function contrast(a: number[], b: number[]): number {
  const lum = ([r, g, bl]: number[]) => {
    const f = (c: number) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
    return 0.2126 * f(r!) + 0.7152 * f(g!) + 0.0722 * f(bl!);
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

for (const size of sizes) {
  test(`the folder map at ${size.name}: names readable, none covering another`, async ({
    page,
    demoHost,
  }) => {
    await page.setViewportSize(size);
    await page.goto(demoHost.url);
    const map = page.getByTestId('usage-map');
    await expect(map.getByRole('button', { name: /^local_data:/ })).toBeVisible();
    const labels = await page.evaluate(() => {
      // Colours as the browser resolved them: rgb(…) or color(srgb …), as numbers 0 to 1.
      const rgb = (css: string) => {
        const srgb = /color\(srgb ([\d.]+) ([\d.]+) ([\d.]+)/.exec(css);
        if (srgb) return [Number(srgb[1]), Number(srgb[2]), Number(srgb[3])];
        const parts = /rgba?\(([\d.]+), ([\d.]+), ([\d.]+)/.exec(css)!;
        return [Number(parts[1]) / 255, Number(parts[2]) / 255, Number(parts[3]) / 255];
      };
      return Array.from(document.querySelectorAll<HTMLElement>('.treemap-label')).map((label) => {
        const tile = label.closest<HTMLElement>('.treemap-tile')!;
        const background = getComputedStyle(tile).backgroundColor;
        const box = label.getBoundingClientRect();
        return {
          name: label.textContent,
          outer: tile.classList.contains('treemap-tile-outer'),
          text: rgb(getComputedStyle(label).color),
          // A transparent tile shows the white card behind it.
          background: /rgba\(0, 0, 0, 0\)|transparent/.test(background)
            ? [1, 1, 1]
            : rgb(background),
          box: { left: box.left, top: box.top, right: box.right, bottom: box.bottom },
        };
      });
    });
    expect(labels.length).toBeGreaterThan(2);
    for (const label of labels) {
      expect(contrast(label.text, label.background), `${label.name}`).toBeGreaterThanOrEqual(4.5);
    }
    // A top-level folder's name is never covered by the name of a folder inside it.
    const overlaps = (a: (typeof labels)[number]['box'], b: (typeof labels)[number]['box']) =>
      a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
    for (const outer of labels.filter((label) => label.outer)) {
      for (const inner of labels.filter((label) => !label.outer)) {
        expect(overlaps(outer.box, inner.box), `${outer.name} / ${inner.name}`).toBe(false);
      }
    }
    await screenshot(page, `overview-${size.name}`);
  });
}
