/**
 * Encrypted backups to the two remote kinds of place, end to end in the app (issue 12): a real
 * OpenSSH server (key login; and ssh2's server handing OpenSSH's sftp-server a password login,
 * tests/main/engine/repository/password-sshd.ts) and a local S3-compatible server, each set up in Settings › Encrypted backups,
 * tested step by step, made a repository, backed up into from the Backups page, restored from
 * through the wizard, and then opened by Debian's `restic` without Tend (`restic check
 * --read-data` passes, `restic restore` gives the same bytes).
 *
 * The S3 server is s3rver: it accepts any secret key and checks no payload checksum, so this
 * spec proves Tend's code path against S3 (requests, layout, multipart), not the security of the
 * keys. And restic cannot write its lock to s3rver (it does not decode restic's aws-chunked
 * bodies, see tests/main/engine/repository/test-s3.ts), so restic reads with `--no-lock` there.
 *
 * Where sshd, s3rver's child or restic is missing here, the test says so and skips.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { SFTP_SERVER, startPasswordSshd } from '../tests/main/engine/repository/password-sshd';
import { hasRestic, restic } from '../tests/main/engine/repository/restic-cli';
import { startS3rver, type S3Target } from '../tests/main/engine/repository/test-s3';
import { hasSshd, startSshd, type TestSshd } from '../tests/main/engine/repository/test-sshd';
import {
  e2eStateDir,
  expect,
  makeDemoRoot,
  screenshot,
  startHost,
  tempFolder,
  test,
  type TendHost,
} from './support/tend';

/** The files the wizard restores, and what a person breaks in them after the backup. */
const RESTORED = ['config/settings.yaml', 'config/settings-local.yaml'] as const;

const stepsInOrder = ['reach', 'write', 'read-back', 'delete', 'free-space'] as const;

/** Fills one text field of the destination form by its exact label. */
async function fill(section: Locator, label: string, value: string): Promise<void> {
  await section.getByLabel(label, { exact: true }).fill(value);
}

/** Presses Test and reads the report: each step's status, by step. */
async function testPlace(page: Page, section: Locator): Promise<Record<string, string | null>> {
  await section.getByRole('button', { name: 'Test' }).click();
  const report = page.getByTestId('repository-test');
  await expect(report.locator('li[data-step="free-space"]')).toBeVisible({ timeout: 60_000 });
  const statuses: Record<string, string | null> = {};
  for (const step of stepsInOrder) {
    statuses[step] = await report.locator(`li[data-step="${step}"]`).getAttribute('data-status');
  }
  return statuses;
}

/**
 * From a place that tested well: use it, create the repository (Tend makes the passphrase and
 * shows it once), back up from the Backups page, see the snapshot, break two files, restore
 * them through the wizard, and check the bytes. Answers the generated passphrase.
 */
async function roundTrip(
  page: Page,
  host: TendHost,
  root: string,
  name: string,
  location: string,
): Promise<string> {
  const section = page.getByTestId('repository-section');
  await section.getByRole('button', { name: 'Use for scheduled backups' }).click();
  await expect(page.getByTestId('repository-location')).toContainText(location);

  await section.getByRole('button', { name: 'Create repository' }).click();
  const sheet = page.getByTestId('recovery-sheet');
  await expect(sheet).toContainText('A lost passphrase is lost backups', { timeout: 60_000 });
  const passphrase = (await page.getByTestId('generated-passphrase').textContent()) ?? '';
  expect(passphrase).toMatch(/^([a-z2-9]{4}-){7}[a-z2-9]{4}$/);
  await expect(sheet).toContainText(`restic -r ${location} restore latest`);
  await screenshot(page, `${name}-recovery-sheet`);
  await sheet.getByRole('button', { name: 'I have kept it safe' }).click();
  await expect(page.getByTestId('repository-location')).toContainText('known until Tend stops');

  // The Backups page backs up into the repository, follows the job, and lists the snapshot.
  await page.goto(`${host.url}#backups`);
  const snapshots = page.getByTestId('repository-snapshots');
  await expect(snapshots).toContainText('No snapshots yet.', { timeout: 30_000 });
  await snapshots.getByRole('button', { name: 'Back up to the repository now' }).click();
  await expect(snapshots.getByRole('cell', { name: 'Critical', exact: true })).toBeVisible({
    timeout: 180_000,
  });
  await expect(snapshots.locator('tbody tr')).toHaveCount(1);
  await screenshot(page, `${name}-snapshots`);
  const listed = await host.api('repository:snapshots', {});
  expect(listed.ok).toBe(true);
  expect((listed.value as { snapshots: unknown[] }).snapshots).toHaveLength(1);

  // Two files broken since: one changed, one gone. The wizard brings both back.
  const originals = RESTORED.map((file) => fs.readFileSync(path.join(root, file)));
  fs.writeFileSync(path.join(root, RESTORED[0]), 'broken: true\n');
  fs.rmSync(path.join(root, RESTORED[1]));
  await page.goto(`${host.url}#restore`);
  const choice = page.getByRole('radio', { name: /^snapshot [0-9a-f]{8}/ });
  await choice.check({ timeout: 30_000 });
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByRole('heading', { name: 'What to restore' })).toBeVisible({
    timeout: 120_000,
  });
  await page.getByRole('radio', { name: /Some files or folders/ }).check();
  await page.getByLabel('One path per line').fill(RESTORED.join('\n'));
  await page.getByRole('button', { name: 'Preview' }).click();
  await expect(page.getByTestId('restore-plan-summary')).toContainText('1 file to replace', {
    timeout: 120_000,
  });
  await screenshot(page, `${name}-restore-preview`);
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('I want to restore this now').check();
  await page.getByRole('button', { name: 'Restore now' }).click();
  const restored = page.locator('.restore-wizard').getByTestId('restore-report');
  await expect(restored).toContainText('Restored.', { timeout: 120_000 });
  await screenshot(page, `${name}-restore-report`);
  RESTORED.forEach((file, i) => {
    expect(fs.readFileSync(path.join(root, file)).equals(originals[i]!), file).toBe(true);
  });
  return passphrase;
}

/** restic, without Tend, checks every byte of the repository and restores the same files. */
function resticAgrees(
  repo: string,
  args: ReadonlyArray<string>,
  env: Record<string, string>,
  passphrase: string,
  root: string,
): void {
  const check = restic(repo, [...args, 'check', '--read-data'], { env, password: passphrase });
  expect(check.stdout + check.stderr).toContain('no errors were found');
  expect(check.status).toBe(0);
  const theirs = tempFolder('restic-restore');
  const restore = restic(repo, [...args, 'restore', 'latest', '--target', theirs], {
    env,
    password: passphrase,
  });
  expect(restore.status, restore.stderr).toBe(0);
  for (const file of RESTORED) {
    expect(
      fs.readFileSync(path.join(theirs, file)).equals(fs.readFileSync(path.join(root, file))),
    ).toBe(true);
  }
}

test('Encrypted backups over SFTP: a real sshd, key login, each step tested, back up, restore, restic checks it; a changed host key is refused', async ({
  page,
}) => {
  test.skip(!hasSshd, 'no /usr/sbin/sshd or ssh-keygen here (Debian: openssh-server)');
  test.skip(!hasRestic, 'no restic on the PATH (Debian: restic)');
  test.setTimeout(420_000);
  const root = makeDemoRoot(21);
  let sshd: TestSshd | null = await startSshd();
  const host = await startHost(root);
  try {
    const folder = path.join(sshd.dir, 'repo');
    // restic's address of a server on another port than 22 is its URL form.
    const location = `sftp://${sshd.username}@127.0.0.1:${sshd.port}/${folder}`;
    await page.goto(`${host.url}#settings`);
    const section = page.getByTestId('repository-section');
    await expect(page.getByTestId('repository-location')).toContainText('Off');
    await section.getByLabel('Where').selectOption('sftp');
    await fill(section, 'Server', '127.0.0.1');
    await fill(section, 'Port', String(sshd.port));
    await fill(section, 'User name', sshd.username);
    await fill(section, 'Folder on the server', folder);
    await fill(section, 'SSH key file', sshd.privateKeyFile);
    await screenshot(page, 'repository-sftp-form');
    expect(await testPlace(page, section)).toEqual({
      reach: 'passed',
      write: 'passed',
      'read-back': 'passed',
      delete: 'passed',
      'free-space': 'passed',
    });
    await expect(page.getByTestId('repository-test')).toContainText('The place works.');
    await screenshot(page, 'repository-sftp-test');
    // Pinned on first use, in Tend's state folder, as ssh keeps known_hosts.
    const pins = JSON.parse(
      fs.readFileSync(path.join(e2eStateDir(), 'repository-host-keys.json'), 'utf8'),
    ) as Record<string, string>;
    expect(pins[`127.0.0.1:${sshd.port}`]).toBe(sshd.hostKeyFingerprint);

    const passphrase = await roundTrip(page, host, root, 'repository-sftp', location);
    expect(fs.existsSync(path.join(folder, 'config'))).toBe(true);
    resticAgrees(
      `sftp:${sshd.username}@127.0.0.1:${folder}`,
      ['-o', `sftp.command=${sshd.sftpCommand()}`],
      {},
      passphrase,
      root,
    );

    // The server comes back on the same port with another host key: Tend pinned the first
    // one, so it refuses before it logs in or sends a byte, and says why.
    const { port, privateKey } = sshd;
    await sshd.stop();
    sshd = await startSshd({ port, userKey: privateKey });
    await page.goto(`${host.url}#settings`);
    await fill(section, 'SSH key file', sshd.privateKeyFile);
    const report = await testPlace(page, section);
    expect(report.reach).toBe('failed');
    const reach = page.getByTestId('repository-test').locator('li[data-step="reach"]');
    await expect(reach).toContainText('DESTINATION_HOST_KEY_CHANGED');
    await expect(reach).toContainText(sshd.hostKeyFingerprint);
    await expect(reach).toContainText('Nothing was sent.');
    // It names the one place a person can trust the new key: Tend's file of pinned keys.
    await expect(reach).toContainText('repository-host-keys.json');
    await screenshot(page, 'repository-sftp-host-key-changed');
  } finally {
    await host.stop();
    await sshd?.stop();
  }
});

test('Encrypted backups to S3-compatible storage: a local s3rver, keys typed once, each step tested, back up, restore, restic checks it', async ({
  page,
}) => {
  test.skip(!hasRestic, 'no restic on the PATH (Debian: restic)');
  test.setTimeout(420_000);
  const root = makeDemoRoot(22);
  let s3: S3Target;
  try {
    s3 = await startS3rver();
  } catch (error) {
    test.skip(true, `the local S3 server (s3rver) did not start: ${(error as Error).message}`);
    return;
  }
  const host = await startHost(root);
  try {
    const prefix = `e2e/${process.pid}`;
    const location = `s3:${s3.endpoint}/${s3.bucket}/${prefix}`;
    await page.goto(`${host.url}#settings`);
    const section = page.getByTestId('repository-section');
    await section.getByLabel('Where').selectOption('s3');
    await fill(section, 'Server', s3.endpoint);
    await fill(section, 'Bucket', s3.bucket);
    await fill(section, 'Prefix', prefix);
    await fill(section, 'Access key id', s3.accessKeyId);
    await fill(section, 'Secret access key', s3.secretAccessKey);
    await screenshot(page, 'repository-s3-form');
    expect(await testPlace(page, section)).toEqual({
      reach: 'passed',
      write: 'passed',
      'read-back': 'passed',
      delete: 'passed',
      'free-space': 'passed',
    });
    // Object storage tells no free space: the step says so rather than show a number.
    await expect(
      page.getByTestId('repository-test').locator('li[data-step="free-space"]'),
    ).toContainText('does not tell its free space');
    await expect(page.getByTestId('repository-test')).toContainText('The place works.');
    await screenshot(page, 'repository-s3-test');

    const passphrase = await roundTrip(page, host, root, 'repository-s3', location);
    resticAgrees(
      location,
      ['--no-lock'],
      {
        AWS_ACCESS_KEY_ID: s3.accessKeyId,
        AWS_SECRET_ACCESS_KEY: s3.secretAccessKey,
        AWS_DEFAULT_REGION: s3.region,
      },
      passphrase,
      root,
    );
  } finally {
    await host.stop();
    await s3.stop();
  }
});

test('Encrypted backups over SFTP by password: a field typed wrong is refused under it; the password logs in, is kept, and a wrong one is refused', async ({
  page,
}) => {
  test.skip(!fs.existsSync(SFTP_SERVER), `no ${SFTP_SERVER} here (Debian: openssh-sftp-server)`);
  test.setTimeout(180_000);
  const root = makeDemoRoot(23);
  const server = await startPasswordSshd();
  const host = await startHost(root);
  try {
    const folder = path.join(tempFolder('sftp-password'), 'repo');
    await page.goto(`${host.url}#settings`);
    const section = page.getByTestId('repository-section');
    await section.getByLabel('Where').selectOption('sftp');
    await fill(section, 'Server', '127.0.0.1');
    await fill(section, 'Port', `${server.port}x`);
    await fill(section, 'User name', server.username);
    await section.getByRole('button', { name: 'Test' }).click();
    // Checked before anything is sent, each message under its field.
    await expect(section.locator('#repository-port-issue')).toHaveText(
      'Type a port number from 1 to 65535',
    );
    await expect(section.locator('#repository-path-issue')).toHaveText(
      'Type the folder on the server',
    );
    await expect(section.getByLabel('Port', { exact: true })).toHaveAttribute(
      'aria-invalid',
      'true',
    );
    await expect(page.getByTestId('repository-test')).toHaveCount(0);
    await screenshot(page, 'repository-sftp-field-issues');

    await fill(section, 'Port', String(server.port));
    await fill(section, 'Folder on the server', folder);
    await expect(section.locator('#repository-port-issue')).toHaveCount(0);
    await fill(section, 'Password', 'not the password');
    const refused = await testPlace(page, section);
    expect(refused.reach).toBe('failed');
    await expect(
      page.getByTestId('repository-test').locator('li[data-step="reach"]'),
    ).toContainText('DESTINATION_LOGIN_REFUSED');

    await fill(section, 'Password', server.password);
    expect(Object.values(await testPlace(page, section))).toEqual(Array(5).fill('passed'));
    await screenshot(page, 'repository-sftp-password-test');
    await section.getByRole('button', { name: 'Use for scheduled backups' }).click();
    await expect(page.getByTestId('repository-location')).toContainText(
      `sftp://${server.username}@127.0.0.1:${server.port}/${folder}`,
    );
    // Kept as a secret, and said so: tested again with the field empty, it still logs in.
    await expect(section.locator('#repository-password-hint')).toContainText('Kept:');
    await fill(section, 'Password', '');
    expect(Object.values(await testPlace(page, section))).toEqual(Array(5).fill('passed'));
    await screenshot(page, 'repository-sftp-password-kept');

    // Forgotten: the hint no longer says kept, and the empty field no longer logs in.
    await section.getByRole('button', { name: 'Forget it' }).click();
    await expect(page.getByText('Forgot the kept SFTP password.')).toBeVisible();
    await expect(section.locator('#repository-password-hint')).not.toContainText('Kept:');
    await expect(section.getByRole('button', { name: 'Forget it' })).toHaveCount(0);
    expect((await testPlace(page, section)).reach).toBe('failed');
  } finally {
    await host.stop();
    await server.stop();
  }
});
