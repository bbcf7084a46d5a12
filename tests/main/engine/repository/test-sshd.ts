import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * A real OpenSSH server (Debian's /usr/sbin/sshd) for the SFTP tests: its own sshd_config,
 * host key and user key in a temp folder, on a free loopback port, key login only, SFTP by
 * `internal-sftp`. Nothing of the machine's own ssh setup is read or changed.
 *
 * Run as root, sshd needs its privilege-separation folder /run/sshd; rather than make it on
 * the machine, sshd starts in a private mount namespace (`unshare --mount`) with a tmpfs on
 * /run, visible to it alone. The same namespace gets a 2 MiB tmpfs at `fullDir`, a disk that
 * fills up. Run as another user, sshd runs as that user (no privilege separation needed) and
 * there is no small disk.
 */

/** Whether the tests can start sshd here. */
export const hasSshd =
  fs.existsSync('/usr/sbin/sshd') && spawnSync('ssh-keygen', ['-?']).error === undefined;

/** A running test sshd. */
export interface TestSshd {
  readonly host: string;
  readonly port: number;
  readonly username: string;
  readonly privateKey: Buffer;
  readonly privateKeyFile: string;
  /** The host key's fingerprint as `ssh-keygen -l` shows it. */
  readonly hostKeyFingerprint: string;
  /** A folder on a 2 MiB filesystem (only when sshd runs in its own mount namespace). */
  readonly fullDir: string | null;
  /** The work folder (keys, config, and room for repositories). */
  readonly dir: string;
  /** restic's `-o sftp.command=…` for this server. */
  sftpCommand(port?: number): string;
  stop(): Promise<void>;
}

/** A free loopback port. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, child: ChildProcess, log: () => string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`sshd exited: ${log()}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`sshd did not listen on ${port}: ${log()}`);
}

/** What a test may fix about a new sshd (by default: a free port, new keys). */
export interface SshdOptions {
  /** The port (say, another server's, stopped, so its pinned host key meets a new one). */
  readonly port?: number;
  /** The user key to log in with (say, another server's), instead of a new one. */
  readonly userKey?: Buffer;
}

/** Starts sshd, always with a new host key; stop it when done. */
export async function startSshd(options: SshdOptions = {}): Promise<TestSshd> {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'tend-sshd-')));
  const keygen = (file: string) =>
    spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', file], { stdio: 'ignore' });
  keygen(path.join(dir, 'host_key'));
  if (options.userKey) {
    const keyFile = path.join(dir, 'user_key');
    fs.writeFileSync(keyFile, options.userKey, { mode: 0o600 });
    const publicKey = spawnSync('ssh-keygen', ['-y', '-f', keyFile], { encoding: 'utf8' });
    fs.writeFileSync(`${keyFile}.pub`, publicKey.stdout);
  } else {
    keygen(path.join(dir, 'user_key'));
  }
  fs.copyFileSync(path.join(dir, 'user_key.pub'), path.join(dir, 'authorized_keys'));
  const fingerprint = spawnSync('ssh-keygen', ['-l', '-f', path.join(dir, 'host_key.pub')], {
    encoding: 'utf8',
  }).stdout.split(' ')[1]!;
  const port = options.port ?? (await freePort());
  const root = process.getuid?.() === 0;
  const username = os.userInfo().username;
  fs.writeFileSync(
    path.join(dir, 'sshd_config'),
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${path.join(dir, 'host_key')}`,
      'PidFile none',
      `AuthorizedKeysFile ${path.join(dir, 'authorized_keys')}`,
      'StrictModes no',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      'PermitRootLogin prohibit-password',
      'Subsystem sftp internal-sftp',
      'LogLevel ERROR',
      '',
    ].join('\n'),
  );
  const fullDir = path.join(dir, 'full');
  fs.mkdirSync(fullDir);
  const sshd = `exec /usr/sbin/sshd -D -e -f ${path.join(dir, 'sshd_config')}`;
  const child = root
    ? spawn(
        'unshare',
        [
          '--mount',
          '--propagation',
          'private',
          'sh',
          '-c',
          `mount -t tmpfs -o size=1m,mode=755 tmpfs /run && mkdir -m 755 /run/sshd && mount -t tmpfs -o size=2m,mode=700 tmpfs ${fullDir} && ${sshd}`,
        ],
        { detached: true, stdio: ['ignore', 'ignore', 'pipe'] },
      )
    : spawn('sh', ['-c', sshd], { detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  await waitForPort(port, child, () => stderr);
  const privateKeyFile = path.join(dir, 'user_key');
  return {
    host: '127.0.0.1',
    port,
    username,
    privateKey: fs.readFileSync(privateKeyFile),
    privateKeyFile,
    hostKeyFingerprint: fingerprint,
    fullDir: root ? fullDir : null,
    dir,
    sftpCommand(throughPort = port) {
      return `ssh -p ${throughPort} -i ${privateKeyFile} -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR ${username}@127.0.0.1 -s sftp`;
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        // The whole group: the listener and any session processes it forked.
        process.kill(-child.pid!, 'SIGTERM');
        await exited;
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
