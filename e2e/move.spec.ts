import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  expect,
  makeDemoRoot,
  screenshot,
  startHost,
  tempFolder,
  test,
  type TendHost,
} from './support/tend';

// A move copies (and keeps the old folder) only to another filesystem: a tmpfs mounted for the
// spec. A large file makes the copy last long enough to be seen.
const LARGE_FILE_BYTES = 384 * 1024 * 1024;

let host: TendHost;
let root: string;
let disk: string | null = null;

function mountDisk(): string | null {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return null;
  const at = tempFolder('move-disk');
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1536m', 'tmpfs', at], { stdio: 'ignore' });
    return at;
  } catch {
    return null;
  }
}

test.beforeAll(async () => {
  root = makeDemoRoot(14);
  fs.writeFileSync(
    path.join(root, 'local_data', 'large-upload.bin'),
    Buffer.alloc(LARGE_FILE_BYTES, 7),
  );
  disk = mountDisk();
  host = await startHost(root);
});

test.afterAll(async () => {
  await host.stop();
  if (disk) execFileSync('umount', ['-l', disk], { stdio: 'ignore' });
});

test('moves the data folder to another disk from Settings: the plan, progress, the old copy kept, Move back', async ({
  page,
}) => {
  test.skip(disk === null, 'needs a tmpfs (root on Linux): on one disk a move is one rename');
  const target = path.join(disk!, 'assistant');
  await page.goto(`${host.url}#settings`);
  await page.getByRole('button', { name: 'Move data folder…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Move the data folder' });
  await expect(dialog).toBeVisible();

  // A target inside the data folder is refused before anything happens (Jan #4988).
  const inside = path.join(root, 'local_data', 'moved');
  await dialog.getByLabel('Move it to').fill(inside);
  await dialog.getByRole('button', { name: 'Check this place' }).click();
  const refusals = dialog.getByTestId('move-refusals');
  await expect(refusals).toContainText('inside the data folder');
  await expect(refusals).toContainText('MOVE_TARGET_OVERLAPS');
  await expect(dialog.locator('[data-check="place"]')).toHaveClass(/move-check-refused/);
  await expect(dialog.locator('[data-check="space"]')).toHaveClass(/move-check-skipped/);
  await expect(dialog.getByRole('button', { name: /^Move \d+ files/ })).toBeDisabled();
  // Nothing to change for a place that is refused.
  await expect(dialog.getByTestId('move-changes')).toHaveCount(0);
  await screenshot(page, 'move-refused-inside');
  expect(fs.existsSync(inside)).toBe(false);

  // The plan of a good target: every check passed with its numbers, and the changes.
  await dialog.getByLabel('Move it to').fill(target);
  await dialog.getByRole('button', { name: 'Check this place' }).click();
  const checks = dialog.getByTestId('move-checks');
  await expect(checks.locator('.move-check-passed')).toHaveCount(6);
  await expect(dialog.locator('[data-check="space"]')).toContainText(/Needs .* margin .* free/);
  await expect(dialog.getByTestId('move-changes')).toContainText(`PGPT_DATA_FOLDER=${target}`);
  await screenshot(page, 'move-plan');
  expect(fs.existsSync(target)).toBe(false);

  // Copy and verify, with progress and Cancel; then the result.
  await dialog.getByRole('button', { name: /^Move \d+ files/ }).click();
  const running = dialog.getByTestId('move-running');
  await expect(running).toBeVisible();
  await expect(running.getByRole('progressbar')).toBeVisible();
  await expect(running.getByRole('button', { name: 'Cancel' })).toBeVisible();
  await screenshot(page, 'move-progress');
  const result = dialog.getByTestId('move-result');
  await expect(result).toBeVisible({ timeout: 90_000 });
  await expect(result).toContainText(`Moved to ${target}`);
  const oldCopy = result.getByTestId('move-old-copy-text');
  await expect(oldCopy).toContainText('.tend-moved-');
  await expect(result.getByRole('button', { name: `Move back to ${root}` })).toBeVisible();
  await screenshot(page, 'move-result');

  // On disk: the copy is whole, the old folder kept beside where it was, nothing deleted.
  expect(fs.statSync(path.join(target, 'local_data', 'large-upload.bin')).size).toBe(
    LARGE_FILE_BYTES,
  );
  expect(fs.existsSync(root)).toBe(false);
  const kept = fs
    .readdirSync(path.dirname(root))
    .filter((name) => name.startsWith('assistant.tend-moved-'));
  expect(kept).toHaveLength(1);
  expect(
    fs.statSync(path.join(path.dirname(root), kept[0]!, 'local_data', 'large-upload.bin')).size,
  ).toBe(LARGE_FILE_BYTES);

  // The status after a restart of the page: the move and its old copy are in Settings.
  await page.reload();
  await page.goto(`${host.url}#settings`);
  const panel = page.getByTestId('move-panel');
  await expect(panel).toContainText(`Now at ${target}`);
  await expect(panel.getByTestId('move-last')).toContainText(`Moved from ${root} to ${target}`);
  await expect(panel.getByTestId('move-old-copy-text')).toContainText(kept[0]!);

  // "Remove the old copy" asks first; keeping it changes nothing.
  await panel.getByRole('button', { name: 'Remove the old copy…' }).click();
  await expect(panel.getByRole('alertdialog', { name: 'Remove the old copy' })).toBeVisible();
  await screenshot(page, 'move-remove-confirm');
  await panel.getByRole('button', { name: 'Keep it' }).click();
  expect(fs.existsSync(path.join(path.dirname(root), kept[0]!))).toBe(true);

  // Move back: the folder is where it was, whole, and Tend follows it.
  await panel.getByRole('button', { name: `Move back to ${root}` }).click();
  await expect(panel.getByTestId('move-last')).toContainText(
    `Moved back from ${target} to ${root}`,
    {
      timeout: 90_000,
    },
  );
  await expect(panel).toContainText(`Now at ${root}`);
  await screenshot(page, 'move-back');
  expect(fs.statSync(path.join(root, 'local_data', 'large-upload.bin')).size).toBe(
    LARGE_FILE_BYTES,
  );
  expect(fs.existsSync(path.join(path.dirname(root), kept[0]!))).toBe(false);
});
