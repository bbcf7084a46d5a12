import fs from 'node:fs';
import path from 'node:path';
import { expect, makeDemoRoot, screenshot, startHost, tempFolder, test } from './support/tend';

test('Encrypted backups: create a repository in Settings on a folder, back up, restore one file from the snapshot through the wizard', async ({
  page,
}) => {
  test.setTimeout(300_000);
  const root = makeDemoRoot(12);
  const folder = path.join(tempFolder('usb'), 'tend-repo');
  const settingsFile = path.join(root, 'config/settings.yaml');
  const original = fs.readFileSync(settingsFile, 'utf8');
  const host = await startHost(root);
  try {
    await page.goto(`${host.url}#settings`);
    const section = page.getByTestId('repository-section');
    await expect(section.getByRole('heading', { name: 'Encrypted backups' })).toBeVisible();
    await expect(page.getByTestId('repository-location')).toContainText('Off');

    // The place: a folder, tested step by step, then used for the scheduled backups.
    await section.getByLabel('Where').selectOption('local');
    await section.getByLabel('Folder').fill(folder);
    await section.getByRole('button', { name: 'Test' }).click();
    const report = page.getByTestId('repository-test');
    await expect(report).toContainText('The place works.');
    for (const step of ['reach', 'write', 'read-back', 'delete', 'free-space']) {
      await expect(report.locator(`li[data-step="${step}"]`)).toHaveAttribute(
        'data-status',
        'passed',
      );
    }
    await screenshot(page, 'repository-test');
    await section.getByRole('button', { name: 'Use for scheduled backups' }).click();
    await expect(page.getByTestId('repository-location')).toContainText(folder);
    // With no archive folder, the repository is where backups go: "Automatic" opens Tend at login.
    await expect(page.getByTestId('open-at-login-hint')).toContainText(
      'Now on: encrypted backups go to a repository.',
    );

    // No passphrase typed: Tend makes one and shows it once, with the recovery sheet.
    await section.getByRole('button', { name: 'Create repository' }).click();
    const sheet = page.getByTestId('recovery-sheet');
    await expect(sheet).toContainText('A lost passphrase is lost backups', { timeout: 60_000 });
    const passphrase = (await page.getByTestId('generated-passphrase').textContent()) ?? '';
    expect(passphrase).toMatch(/^([a-z2-9]{4}-){7}[a-z2-9]{4}$/);
    await expect(sheet).toContainText(`restic -r ${folder} restore latest`);
    await screenshot(page, 'repository-recovery-sheet');
    await sheet.getByRole('button', { name: 'I have kept it safe' }).click();
    await expect(page.getByTestId('recovery-sheet')).toHaveCount(0);
    await expect(page.getByTestId('generated-passphrase')).toHaveCount(0);
    await expect(page.getByTestId('repository-location')).toContainText('known until Tend stops');
    expect(fs.existsSync(path.join(folder, 'config'))).toBe(true);

    // A backup into the repository, followed to its end.
    await section.getByRole('button', { name: 'Back up to the repository now' }).click();
    await expect(section).toContainText('The encrypted backup started');
    await expect
      .poll(
        async () => {
          const answer = await host.api('repository:snapshots', {});
          return answer.ok ? (answer.value as { snapshots: unknown[] }).snapshots.length : -1;
        },
        { timeout: 180_000, intervals: [1_000] },
      )
      .toBe(1);

    // The Backups page lists it beside the archives.
    await page.goto(`${host.url}#backups`);
    await expect(page.getByTestId('repository-snapshots')).toContainText('Critical', {
      timeout: 30_000,
    });
    // No archive folder is chosen on this root: the repository's backup is the one that can
    // run, so it is the page's primary button, not "Back up now".
    await expect(page.getByRole('button', { name: 'Back up to the repository now' })).toHaveClass(
      /button-primary/,
    );
    await expect(page.getByRole('button', { name: 'Back up now', exact: true })).not.toHaveClass(
      /button-primary/,
    );
    const card = page.getByTestId('repository-snapshots');
    // No archives on this root: the history says where the backups went instead.
    await expect(page.getByTestId('backups-empty')).toContainText(
      'backups go to the encrypted repository',
    );
    // What the retention does to it: the one snapshot stays, so there is nothing to thin out.
    const marks = card.locator('tbody .badge');
    await expect(marks).toHaveText(['Stays']);
    await expect(page.getByTestId('repository-retention')).toContainText(
      'Every snapshot stays now.',
    );
    await expect(card.getByRole('button', { name: 'Thin out now…' })).toBeDisabled();
    // Every byte read back from the page.
    await card.getByRole('button', { name: 'Check every byte' }).click();
    await expect(card.getByTestId('job-outcome')).toContainText('Verified', { timeout: 120_000 });
    await expect(card.getByTestId('job-outcome')).toContainText('the one snapshot can be restored');
    await screenshot(page, 'repository-snapshots');
    await card.getByRole('button', { name: 'Dismiss this message' }).click();

    // A second backup the same day: the older snapshot fills no slot any more, and goes.
    await card.getByRole('button', { name: 'Back up to the repository now' }).click();
    await expect(card.getByTestId('job-outcome')).toContainText(/Backed up.*Snapshot [0-9a-f]{8}/, {
      timeout: 180_000,
    });
    await expect(marks).toHaveText(['Stays', 'Goes'], { timeout: 30_000 });
    await expect(page.getByTestId('repository-retention')).toContainText(
      'One snapshot goes at the next thinning out.',
    );
    await card.getByRole('button', { name: 'Thin out now…' }).click();
    await expect(card).toContainText('Forget one snapshot and free the space only it uses?');
    await screenshot(page, 'repository-thin-out-confirm');
    await card.getByRole('button', { name: 'Forget it' }).click();
    await expect(card.getByTestId('job-outcome').last()).toContainText('Thinned out', {
      timeout: 120_000,
    });
    await expect(marks).toHaveText(['Stays'], { timeout: 30_000 });
    await screenshot(page, 'repository-thinned-out');

    // The Overview counts the snapshot as the last backup, where it said "None yet" before.
    await page.goto(`${host.url}#overview`);
    await expect(page.getByTestId('stat-backup')).toContainText('Critical, encrypted snapshot of', {
      timeout: 30_000,
    });
    await screenshot(page, 'repository-overview');

    // One file changed since; the wizard restores it from the snapshot.
    fs.writeFileSync(settingsFile, 'broken: true\n');
    await page.goto(`${host.url}#restore`);
    const choice = page.getByRole('radio', { name: /^snapshot [0-9a-f]{8}/ });
    await choice.check({ timeout: 30_000 });
    await expect(choice).toBeChecked();
    await page.getByRole('button', { name: 'Next' }).click();
    await expect(page.getByRole('heading', { name: 'What to restore' })).toBeVisible({
      timeout: 120_000,
    });
    await page.getByRole('radio', { name: /Some files or folders/ }).check();
    await page.getByLabel('One path per line').fill('config/settings.yaml');
    await page.getByRole('button', { name: 'Preview' }).click();
    await expect(page.getByTestId('restore-plan-summary')).toHaveText('1 file to replace.', {
      timeout: 120_000,
    });
    await screenshot(page, 'repository-restore-preview');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('I want to restore this now').check();
    await page.getByRole('button', { name: 'Restore now' }).click();
    const restored = page.locator('.restore-wizard').getByTestId('restore-report');
    await expect(restored).toContainText('Restored.', { timeout: 120_000 });
    await expect(restored).toContainText('1 file replaced.');
    await screenshot(page, 'repository-restore-report');
    expect(fs.readFileSync(settingsFile, 'utf8')).toBe(original);

    // Tend started again: `tend serve` kept the passphrase only while it ran, so the wizard
    // says the repository's snapshots wait to be unlocked, never that there is no backup.
    await host.stop();
    const again = await startHost(root);
    try {
      await page.goto(`${again.url}#restore`);
      const locked = page.getByTestId('restore-repository-locked');
      await expect(locked).toContainText(folder, { timeout: 30_000 });
      await expect(page.locator('.restore-wizard')).not.toContainText('No backups yet');
      await screenshot(page, 'repository-restore-locked');
      await locked.getByRole('button', { name: 'Unlock it in Settings' }).click();
      await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible();
    } finally {
      await again.stop();
    }
  } finally {
    await host.stop();
  }
});

test('Encrypted backups: keys in Settings — add a key, open the repository with it, remove the old one', async ({
  page,
}) => {
  test.setTimeout(240_000);
  const root = makeDemoRoot(13);
  const folder = path.join(tempFolder('usb'), 'tend-repo');
  const host = await startHost(root);
  try {
    expect((await host.api('repository:set', { destination: { kind: 'local', folder } })).ok).toBe(
      true,
    );
    expect((await host.api('repository:init', { passphrase: 'the first passphrase' })).ok).toBe(
      true,
    );
    await page.goto(`${host.url}#settings`);
    const keys = page.getByTestId('repository-keys');
    const rows = keys.locator('tbody tr');
    await expect(rows).toHaveCount(1, { timeout: 60_000 });
    const oldId = (await rows.first().getAttribute('data-key-id')) ?? '';
    expect(oldId).toMatch(/^[0-9a-f]{64}$/);
    await expect(rows.first()).toContainText('This app’s key');
    // The key in use (the only one) offers no Remove.
    await expect(rows.first().getByRole('button')).toHaveCount(0);
    await expect(rows.first()).toContainText('use another key on this computer first');

    // A new passphrase, typed twice: a difference is refused before anything is sent.
    await keys.getByLabel('New key: passphrase').fill('the second passphrase');
    await keys.getByLabel('New key: the passphrase again').fill('the second passphrasE');
    await expect(keys).toContainText('The two passphrases differ');
    await expect(keys.getByRole('button', { name: 'Add key' })).toBeDisabled();
    await keys.getByLabel('New key: the passphrase again').fill('the second passphrase');
    await keys.getByRole('button', { name: 'Add key' }).click();
    await expect(page.getByTestId('repository-key-added')).toContainText('Added key', {
      timeout: 60_000,
    });
    await expect(rows).toHaveCount(2);
    await screenshot(page, 'repository-keys-added');

    // This app opens the repository with the new key; the old one can go now.
    await keys.getByRole('button', { name: 'Use the new key on this computer' }).click();
    await expect(keys).toContainText('This app now opens the repository with key', {
      timeout: 60_000,
    });
    const oldRow = keys.locator(`tr[data-key-id="${oldId}"]`);
    await expect(oldRow).toHaveAttribute('data-current', 'false');
    await oldRow.getByRole('button', { name: /^Remove key/ }).click();
    await expect(oldRow).toContainText('no longer open these backups');
    await screenshot(page, 'repository-keys-remove-confirm');
    await oldRow.getByRole('button', { name: `Remove key ${oldId.slice(0, 8)}` }).click();
    await expect(keys).toContainText(`Removed key ${oldId.slice(0, 8)}`, { timeout: 60_000 });
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toContainText('This app’s key');
    await screenshot(page, 'repository-keys-after');
    // No data was rewritten: only a key file came and one went.
    expect(fs.readdirSync(path.join(folder, 'keys'))).toHaveLength(1);

    // Locked, the old passphrase opens nothing; the new one opens the repository.
    expect((await host.api('repository:lock', {})).ok).toBe(true);
    await page.reload();
    const section = page.getByTestId('repository-section');
    await section.getByLabel('Existing repository: its passphrase').fill('the first passphrase');
    await section.getByRole('button', { name: 'Unlock' }).click();
    await expect(section).toContainText('REPOSITORY_WRONG_PASSPHRASE', { timeout: 60_000 });
    await section.getByLabel('Existing repository: its passphrase').fill('the second passphrase');
    await section.getByRole('button', { name: 'Unlock' }).click();
    await expect(page.getByTestId('repository-keys').locator('tbody tr')).toHaveCount(1, {
      timeout: 60_000,
    });
    const snapshots = await host.api('repository:snapshots', {});
    expect(snapshots.ok).toBe(true);

    // Nothing typed: Tend makes the new key's passphrase and shows it once, with the sheet.
    const keysAgain = page.getByTestId('repository-keys');
    await keysAgain.getByRole('button', { name: 'Add key' }).click();
    const sheet = page.getByTestId('recovery-sheet');
    await expect(sheet).toContainText('A lost passphrase is lost backups', { timeout: 60_000 });
    const generated = (await page.getByTestId('generated-passphrase').textContent()) ?? '';
    expect(generated).toMatch(/^([a-z2-9]{4}-){7}[a-z2-9]{4}$/);
    await expect(sheet).toContainText(`Passphrase:     ${generated}`);
    await screenshot(page, 'repository-key-recovery-sheet');
    await sheet.getByRole('button', { name: 'I have kept it safe' }).click();
    await expect(page.getByTestId('generated-passphrase')).toHaveCount(0);
    await expect(page.getByTestId('repository-key-added')).toContainText('Added key');
    await expect(keysAgain.locator('tbody tr')).toHaveCount(2);
  } finally {
    await host.stop();
  }
});
