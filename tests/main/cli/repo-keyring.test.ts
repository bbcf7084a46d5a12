/**
 * `tend repo` with the OS keyring, against a real Linux Secret Service: a private D-Bus session
 * bus and GNOME Keyring's secrets component, started here (unlocked with a password on stdin)
 * and stopped after, so no real user's keyring is touched. Skipped where `dbus-daemon` or
 * `gnome-keyring-daemon` is missing (Debian: apt-get install gnome-keyring), or off Linux.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../support/temp-dir';

const PASSPHRASE = 'a passphrase kept in the keyring';
const NEW_PASSPHRASE = 'the passphrase after the change';
const tendBin = fileURLToPath(new URL('../../../bin/tend.mjs', import.meta.url));

const found = (program: string) =>
  spawnSync(program, ['--version'], { encoding: 'utf8' }).error === undefined;
const missing =
  process.platform !== 'linux'
    ? 'not Linux (the Secret Service test needs D-Bus)'
    : !found('dbus-daemon')
      ? 'dbus-daemon is not installed'
      : !found('gnome-keyring-daemon')
        ? 'gnome-keyring-daemon is not installed (apt-get install gnome-keyring)'
        : null;
if (missing) console.warn(`repo-keyring.test.ts skipped: ${missing}`);

/** A private session bus with GNOME Keyring's Secret Service on it, unlocked. */
async function startSecretService(dir: string): Promise<{ address: string; bus: ChildProcess }> {
  const bus = spawn('dbus-daemon', ['--session', '--nofork', '--print-address=1'], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const address = await new Promise<string>((resolve, reject) => {
    let out = '';
    bus.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      if (out.includes('\n')) resolve(out.trim());
    });
    bus.on('exit', (code) => reject(new Error(`dbus-daemon exited (${code})`)));
  });
  // Daemonized, it returns once the secrets component is on the bus; it ends with the bus.
  const keyring = spawnSync('gnome-keyring-daemon', ['--unlock', '--components=secrets'], {
    input: 'test keyring password\n',
    encoding: 'utf8',
    env: {
      ...process.env,
      DBUS_SESSION_BUS_ADDRESS: address,
      HOME: dir,
      XDG_RUNTIME_DIR: dir,
      XDG_DATA_HOME: path.join(dir, 'data'),
    },
  });
  if (keyring.status !== 0) throw new Error(`gnome-keyring-daemon failed: ${keyring.stderr}`);
  return { address, bus };
}

/** Runs the built `tend` in its own process, as a person would, with `env` added. */
function tendProcess(args: string[], base: string, env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(process.execPath, [tendBin, ...args], {
    encoding: 'utf8',
    env: {
      ...process.env,
      TEND_STATE_DIR: path.join(base, 'state'),
      TEND_ROOT: '',
      TEND_PASSWORD: '',
      TEND_NEW_PASSWORD: '',
      ...env,
    },
    timeout: 120_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe.skipIf(missing !== null)('tend repo with the OS keyring (GNOME Keyring)', () => {
  let base: string;
  let bus: ChildProcess;
  const saved = process.env.DBUS_SESSION_BUS_ADDRESS;

  // A new keyring for each test: its files live in the test's temporary folder, which
  // tests/support/temp-dir.ts removes after each test.
  beforeEach(async () => {
    base = tempDir();
    const service = await startSecretService(base);
    bus = service.bus;
    process.env.DBUS_SESSION_BUS_ADDRESS = service.address;
  });

  afterEach(() => {
    bus?.kill();
    if (saved === undefined) delete process.env.DBUS_SESSION_BUS_ADDRESS;
    else process.env.DBUS_SESSION_BUS_ADDRESS = saved;
  });

  it('remember, open with --password-keyring, change the passphrase, forget', async () => {
    const repo = path.join(base, 'repo');
    const passwordFile = path.join(base, 'passphrase');
    fs.writeFileSync(passwordFile, `${PASSPHRASE}\n`);
    const init = tendProcess(
      ['repo', 'init', '--to', repo, '--password-file', passwordFile, '--json'],
      base,
    );
    expect(init.code).toBe(0);
    const { repositoryId } = JSON.parse(init.stdout) as { repositoryId: string };

    const none = tendProcess(['repo', 'snapshots', '--to', repo, '--password-keyring'], base);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('REPOSITORY_PASSWORD_MISSING');
    expect(none.stderr).toContain('tend repo key remember');

    const remember = tendProcess(
      ['repo', 'key', 'remember', '--to', repo, '--password-file', passwordFile, '--json'],
      base,
    );
    expect(remember.code).toBe(0);
    expect(JSON.parse(remember.stdout)).toMatchObject({
      repositoryId,
      account: `repository:${repositoryId}`,
      existed: false,
    });
    // Kept under the repository's id, not its path: a moved repository still opens.
    const moved = path.join(base, 'moved');
    fs.renameSync(repo, moved);
    const listed = tendProcess(
      ['repo', 'key', 'list', '--to', moved, '--password-keyring', '--json'],
      base,
    );
    expect(listed.code).toBe(0);
    const [oldKey] = JSON.parse(listed.stdout) as { id: string; current: boolean }[];
    expect(oldKey).toMatchObject({ current: true });

    // Changing the passphrase: add the new one, remember it, remove the old key.
    const added = tendProcess(
      ['repo', 'key', 'add', '--to', moved, '--password-keyring', '--json'],
      base,
      { TEND_NEW_PASSWORD: NEW_PASSPHRASE },
    );
    expect(added.code).toBe(0);
    const replaced = tendProcess(['repo', 'key', 'remember', '--to', moved, '--json'], base, {
      TEND_PASSWORD: NEW_PASSPHRASE,
    });
    expect(JSON.parse(replaced.stdout)).toMatchObject({ existed: true });
    const removed = tendProcess(
      ['repo', 'key', 'remove', oldKey!.id, '--to', moved, '--password-keyring'],
      base,
    );
    expect(removed.code).toBe(0);
    const after = tendProcess(['repo', 'key', 'list', '--to', moved, '--password-keyring'], base);
    expect(after.code).toBe(0);
    expect(after.stdout).not.toContain(oldKey!.id.slice(0, 8));

    const forget = tendProcess(
      ['repo', 'key', 'forget', '--to', moved, '--password-keyring'],
      base,
    );
    expect(forget.code).toBe(0);
    expect(forget.stdout).toContain('Removed the passphrase');
    const gone = tendProcess(['repo', 'snapshots', '--to', moved, '--password-keyring'], base);
    expect(gone.code).toBe(2);
    expect(gone.stderr).toContain('REPOSITORY_PASSWORD_MISSING');
  });

  it('key remove forgets the remembered passphrase that opened only the removed key, and says so', async () => {
    const repo = path.join(base, 'repo');
    const passwordFile = path.join(base, 'passphrase');
    fs.writeFileSync(passwordFile, `${PASSPHRASE}\n`);
    expect(
      tendProcess(['repo', 'init', '--to', repo, '--password-file', passwordFile], base).code,
    ).toBe(0);
    expect(
      tendProcess(['repo', 'key', 'remember', '--to', repo, '--password-file', passwordFile], base)
        .code,
    ).toBe(0);
    const listed = tendProcess(
      ['repo', 'key', 'list', '--to', repo, '--password-keyring', '--json'],
      base,
    );
    const [oldKey] = JSON.parse(listed.stdout) as { id: string }[];
    expect(
      tendProcess(['repo', 'key', 'add', '--to', repo, '--password-keyring'], base, {
        TEND_NEW_PASSWORD: NEW_PASSPHRASE,
      }).code,
    ).toBe(0);
    // Opened with the new passphrase: the remembered one opens only the key removed.
    const removed = tendProcess(
      ['repo', 'key', 'remove', oldKey!.id, '--to', repo, '--json'],
      base,
      {
        TEND_PASSWORD: NEW_PASSPHRASE,
      },
    );
    expect(removed.code).toBe(0);
    expect(JSON.parse(removed.stdout)).toEqual({ removed: oldKey!.id, keyringForgotten: true });
    const text = tendProcess(['repo', 'key', 'list', '--to', repo, '--password-keyring'], base);
    expect(text.code).toBe(2);
    expect(text.stderr).toContain('REPOSITORY_PASSWORD_MISSING');

    // A remembered passphrase of a key that stays is kept, and the text says nothing was forgotten.
    expect(
      tendProcess(['repo', 'key', 'remember', '--to', repo], base, {
        TEND_PASSWORD: NEW_PASSPHRASE,
      }).code,
    ).toBe(0);
    const third = tendProcess(
      ['repo', 'key', 'add', '--to', repo, '--password-keyring', '--json'],
      base,
      {
        TEND_NEW_PASSWORD: PASSPHRASE,
      },
    );
    const { keyId: thirdKey } = JSON.parse(third.stdout) as { keyId: string };
    const kept = tendProcess(
      ['repo', 'key', 'remove', thirdKey, '--to', repo, '--password-keyring'],
      base,
    );
    expect(kept.code).toBe(0);
    expect(kept.stdout).toContain(`Removed key ${thirdKey.slice(0, 8)}.`);
    expect(kept.stdout).not.toContain('OS keyring');
    expect(
      tendProcess(['repo', 'key', 'list', '--to', repo, '--password-keyring'], base).code,
    ).toBe(0);
  });

  it('init --remember keeps a generated passphrase; --password-keyring with --password-file is refused', async () => {
    const repo = path.join(base, 'generated');
    const init = tendProcess(['repo', 'init', '--to', repo, '--remember', '--json'], base);
    expect(init.code).toBe(0);
    expect(JSON.parse(init.stdout)).toMatchObject({ passphraseGenerated: true, remembered: true });
    const opened = tendProcess(['repo', 'snapshots', '--to', repo, '--password-keyring'], base);
    expect(opened.code).toBe(0);
    const both = tendProcess(
      ['repo', 'snapshots', '--to', repo, '--password-keyring', '--password-file', tendBin],
      base,
    );
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('INVALID_INPUT');
  });

  it('init --remember: a keyring that fails after the repository is made still shows the generated passphrase', async () => {
    // The keyring's files gone, and a file where its folder was so the daemon cannot make it
    // again: the service still answers a search, but cannot store. The daemon may write in the
    // folder while it is removed, or make it again before the file is written (CI once failed
    // with EISDIR there): tried again, a moment later.
    for (let attempt = 1; ; attempt++) {
      try {
        for (const name of fs.readdirSync(base)) {
          fs.rmSync(path.join(base, name), { recursive: true, force: true });
        }
        fs.writeFileSync(path.join(base, 'data'), 'not a folder');
        break;
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if ((code !== 'EISDIR' && code !== 'ENOTEMPTY') || attempt === 50) throw error;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
    const repo = path.join(base, 'kept-anyway');
    const init = tendProcess(['repo', 'init', '--to', repo, '--remember', '--json'], base);
    expect(init.code).toBe(2);
    expect(init.stderr).toContain('KEYRING_UNAVAILABLE');
    const shown = JSON.parse(init.stdout) as { passphrase: string; remembered: boolean };
    expect(shown.remembered).toBe(false);
    const opened = tendProcess(['repo', 'snapshots', '--to', repo], base, {
      TEND_PASSWORD: shown.passphrase,
    });
    expect(opened.code).toBe(0);
  });
});

describe('tend repo with no keyring service', () => {
  it('KEYRING_UNAVAILABLE (exit 2) naming TEND_PASSWORD and --password-file; init --remember writes nothing', () => {
    const base = tempDir();
    const run = (args: string[]) =>
      tendProcess(args, base, {
        DBUS_SESSION_BUS_ADDRESS: `unix:path=${path.join(base, 'no-bus')}`,
      });
    const repo = path.join(base, 'repo');
    const init = run(['repo', 'init', '--to', repo, '--remember']);
    expect(init.code).toBe(2);
    expect(init.stderr).toContain('KEYRING_UNAVAILABLE');
    expect(fs.existsSync(repo)).toBe(false);
    const open = run(['repo', 'snapshots', '--to', repo, '--password-keyring']);
    expect(open.code).toBe(2);
    expect(open.stderr).toContain('KEYRING_UNAVAILABLE');
    expect(open.stderr).toContain('TEND_PASSWORD');
    expect(open.stderr).toContain('--password-file');
  });
});
