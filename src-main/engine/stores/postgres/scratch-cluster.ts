import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Where Debian and Ubuntu put each installed server version's programs. */
const DEBIAN_LIB = '/usr/lib/postgresql';

/**
 * A throwaway PostgreSQL cluster in a temp folder, on a free loopback port: for the tests, the
 * bench, and anyone who wants to try the postgres-app profile without a server of their own.
 *
 * It lives beside the store rather than under tests/ because the bench (compiled with the main
 * project) needs it too. Its superuser `postgres` signs in with `password` over TCP
 * (scram-sha-256) and without one over the Unix socket.
 */
export interface ScratchCluster {
  /** The server's programs (`initdb`, `pg_ctl`, `postgres`, `pg_dump`, …). */
  readonly binDir: string;
  /** The server's major version, e.g. 15. */
  readonly major: number;
  readonly dataDir: string;
  readonly socketDir: string;
  readonly port: number;
  /** Always 127.0.0.1: the cluster listens on loopback only. */
  readonly host: string;
  readonly superuser: string;
  /** The superuser's password, for the tests to hand in through the environment. */
  readonly password: string;
  /** A URL for `database` over TCP, without the password (as Tend takes URLs). */
  url(database?: string): string;
  /** Stops the server: `fast` ends sessions cleanly, `immediate` is a crash. */
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  /**
   * Stops the server like a crash, blocking this process until it is down: a test can stop
   * it between two steps of the code under test, with nothing of that code running meanwhile.
   */
  crashNow(): void;
  /** Starts it again after `stop`. */
  start(): Promise<void>;
  /** Stops the server (if running) and removes every file of the cluster. */
  remove(): Promise<void>;
}

/** What `startScratchCluster` needs: the programs, or why they are not there. */
export type ServerBinaries = { binDir: string; major: number } | { missing: string };

/**
 * Finds the newest installed server's programs (`initdb` and `pg_ctl`), in Debian's
 * /usr/lib/postgresql/<major>/bin, or says what is missing and how to install it.
 */
export async function findServerBinaries(libDir = DEBIAN_LIB): Promise<ServerBinaries> {
  let versions: string[] = [];
  try {
    versions = await fs.readdir(libDir);
  } catch {
    // No Debian layout: fall through to the message below.
  }
  const majors = versions
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .sort((a, b) => b - a);
  for (const major of majors) {
    const binDir = path.join(libDir, String(major), 'bin');
    if (
      (await isExecutable(path.join(binDir, 'initdb'))) &&
      (await isExecutable(path.join(binDir, 'pg_ctl')))
    ) {
      return { binDir, major };
    }
  }
  return {
    missing:
      `No PostgreSQL server programs (initdb, pg_ctl) under ${libDir}/<version>/bin; ` +
      'install them with `apt-get install postgresql`.',
  };
}

async function isExecutable(file: string): Promise<boolean> {
  try {
    await fs.access(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** A free TCP port on loopback (the kernel picks it; another process could take it first). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** initdb and pg_ctl refuse to run as root: as root, run them as the `postgres` user. */
function asServerUser(program: string, args: ReadonlyArray<string>): [string, string[]] {
  return process.getuid?.() === 0
    ? ['runuser', ['-u', 'postgres', '--', program, ...args]]
    : [program, [...args]];
}

async function runServerTool(program: string, args: ReadonlyArray<string>): Promise<void> {
  const [command, argv] = asServerUser(program, args);
  try {
    await run(command, argv, { cwd: os.tmpdir(), maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const failed = error as { stderr?: string; stdout?: string; message: string };
    throw new Error(
      `${path.basename(program)} failed: ${failed.stderr || failed.stdout || failed.message}`,
    );
  }
}

/** Options for a scratch cluster. */
export interface ScratchClusterOptions {
  /**
   * Trade durability for speed (fsync, synchronous_commit and full-page writes off): right for
   * tests, whose clusters never outlive an OS crash. Default true.
   */
  fast?: boolean;
  /** Extra `-c name=value` server settings. */
  settings?: Readonly<Record<string, string>>;
}

/**
 * Creates and starts a throwaway cluster (initdb into a temp folder, `pg_ctl start` on a free
 * loopback port and a private socket folder), in about three seconds. Call `remove()` after.
 */
export async function startScratchCluster(
  options: ScratchClusterOptions = {},
): Promise<ScratchCluster> {
  const found = await findServerBinaries();
  if ('missing' in found) throw new Error(found.missing);
  const { binDir, major } = found;
  const base = await fs.mkdtemp(path.join(os.tmpdir(), 'tend-pg-'));
  const dataDir = path.join(base, 'data');
  const socketDir = path.join(base, 'socket');
  const logFile = path.join(base, 'server.log');
  const pwFile = path.join(base, 'pwfile');
  const password = randomBytes(12).toString('hex');
  const superuser = 'postgres';
  await fs.mkdir(socketDir);
  await fs.writeFile(pwFile, `${password}\n`, { mode: 0o600 });
  if (process.getuid?.() === 0) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    for (const owned of [base, socketDir, pwFile]) {
      await fs.chown(owned, Number(stdout.trim()), Number(gid.trim()));
    }
  }
  await runServerTool(path.join(binDir, 'initdb'), [
    '-D',
    dataDir,
    '-U',
    superuser,
    `--pwfile=${pwFile}`,
    '--auth-local=trust',
    '--auth-host=scram-sha-256',
    '--encoding=UTF8',
    '--locale=C',
    '--no-sync',
  ]);
  await fs.rm(pwFile, { force: true });

  const settings: Record<string, string> = {
    listen_addresses: '127.0.0.1',
    ...(options.fast === false
      ? {}
      : { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' }),
    ...options.settings,
  };
  let port = 0;
  let running = false;
  const start = async (): Promise<void> => {
    const serverOptions = [
      `-p ${port}`,
      `-k ${socketDir}`,
      ...Object.entries(settings).map(([name, value]) => `-c ${name}=${value}`),
    ].join(' ');
    await runServerTool(path.join(binDir, 'pg_ctl'), [
      'start',
      '-w',
      '-D',
      dataDir,
      '-l',
      logFile,
      '-o',
      serverOptions,
    ]);
    running = true;
  };
  // The port is free when asked but could be taken before the server binds it: try a few.
  for (let attempt = 1; ; attempt += 1) {
    port = await freePort();
    try {
      await start();
      break;
    } catch (error) {
      if (attempt >= 3) {
        await fs.rm(base, { recursive: true, force: true });
        throw error;
      }
    }
  }

  const stop = async (mode: 'fast' | 'immediate' = 'fast'): Promise<void> => {
    if (!running) return;
    await runServerTool(path.join(binDir, 'pg_ctl'), ['stop', '-w', '-D', dataDir, '-m', mode]);
    running = false;
  };
  return {
    binDir,
    major,
    dataDir,
    socketDir,
    port,
    host: '127.0.0.1',
    superuser,
    password,
    url: (database = 'postgres') =>
      `postgresql://${superuser}@127.0.0.1:${port}/${encodeURIComponent(database)}`,
    stop,
    crashNow() {
      const [command, argv] = asServerUser(path.join(binDir, 'pg_ctl'), [
        'stop',
        '-w',
        '-D',
        dataDir,
        '-m',
        'immediate',
      ]);
      execFileSync(command, argv, { cwd: os.tmpdir(), stdio: 'ignore' });
      running = false;
    },
    start,
    async remove() {
      try {
        await stop('immediate');
      } finally {
        await fs.rm(base, { recursive: true, force: true });
      }
    },
  };
}
