import type { z } from 'zod';
import { TendFailure } from '../../../src-shared/tend-failure';
import type { RepoAccessFlags } from '../../../src-shared/models/repository-flags';
import type { Backend } from '../../engine/repository/backend';
import type { DestinationAddress } from '../../engine/repository/destination-address';
import type { Repository } from '../../engine/repository/repository';
import type { CliIo } from '../cli-context';
import { formatProgress } from '../format';
import type * as RepoEngine from './repo-engine';

/**
 * What every `tend repo` verb shares: its flags parsed by zod, the passphrase (a file, then
 * TEND_PASSWORD, or the OS keyring with --password-keyring; never a flag's value, which other
 * users see in `ps`), the destination opened and closed, and progress drawn on stderr.
 */

/** Parses commander's options with a schema; a bad value is INVALID_INPUT naming the flag. */
export function parseFlags<S extends z.ZodType>(schema: S, raw: unknown): z.infer<S> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const flag = issue.path.length
    ? `--${String(issue.path[0]).replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}: `
    : '';
  throw new TendFailure('INVALID_INPUT', `${flag}${issue.message}`);
}

/**
 * Reads a passphrase file as restic does: its first line, without the line break (the repository
 * engine's passphraseFileLine, loaded with it: never at the CLI's start).
 */
export async function readPassphraseFile(file: string): Promise<string> {
  const read = (await repoEngine()).passphraseFileLine(file);
  if ('line' in read) return read.line;
  if ('unreadable' in read) {
    throw new TendFailure(
      'INVALID_INPUT',
      `Cannot read the passphrase file ${file} (${read.unreadable}).`,
    );
  }
  throw new TendFailure('INVALID_INPUT', `The passphrase file ${file} is empty.`);
}

/** The passphrase from --password-file, else TEND_PASSWORD, else TEND_PASSWORD_FILE's file, else null. */
export async function givenPassphrase(
  flags: Pick<RepoAccessFlags, 'passwordFile'>,
  env: NodeJS.ProcessEnv,
): Promise<string | null> {
  if (flags.passwordFile) return readPassphraseFile(flags.passwordFile);
  if (env.TEND_PASSWORD) return env.TEND_PASSWORD;
  return env.TEND_PASSWORD_FILE ? readPassphraseFile(env.TEND_PASSWORD_FILE) : null;
}

/** The passphrase, or REPOSITORY_PASSWORD_MISSING saying how to give one. */
export async function requirePassphrase(
  flags: Pick<RepoAccessFlags, 'passwordFile'>,
  env: NodeJS.ProcessEnv,
): Promise<string> {
  const passphrase = await givenPassphrase(flags, env);
  if (passphrase === null) {
    throw new TendFailure(
      'REPOSITORY_PASSWORD_MISSING',
      'The repository\'s passphrase is needed: set TEND_PASSWORD (or TEND_PASSWORD_FILE), give --password-file FILE (its first line), or --password-keyring after "tend repo key remember".',
    );
  }
  return passphrase;
}

/** An open destination, its address, and how it reads. */
export interface OpenDestination {
  readonly address: DestinationAddress;
  readonly location: string;
  readonly backend: Backend;
}

/** Opens the storage at --to, runs `work`, and always closes it. */
export async function withDestination<T>(
  flags: RepoAccessFlags,
  io: CliIo,
  work: (destination: OpenDestination) => Promise<T>,
): Promise<T> {
  const {
    HostKeyPins,
    openDestination,
    parseDestinationAddress,
    formatDestinationAddress,
    defaultAppStateDir,
  } = await repoEngine();
  const address = parseDestinationAddress(flags.to);
  const backend = await openDestination(address, {
    env: process.env,
    ...(flags.identity ? { identityFile: flags.identity } : {}),
    hostKeys: HostKeyPins.inStateDir(defaultAppStateDir()),
    onHostKeyPinned: (fingerprint) =>
      io.stderr(
        `Pinned the host key of ${address.kind === 'sftp' ? `${address.host}:${address.port}` : ''}: ${fingerprint} (first connection; a different key later is refused).\n`,
      ),
  });
  try {
    return await work({ address, location: formatDestinationAddress(address), backend });
  } finally {
    await backend.close();
  }
}

/** --password-keyring with --password-file: one way at a time. */
function checkOneWay(flags: Pick<RepoAccessFlags, 'passwordFile' | 'passwordKeyring'>): void {
  if (flags.passwordKeyring && flags.passwordFile) {
    throw new TendFailure(
      'INVALID_INPUT',
      'Give the passphrase one way: --password-file or --password-keyring, not both.',
    );
  }
}

/**
 * Opens the repository at --to, runs `work`, and closes it. The passphrase: --password-keyring
 * reads the OS keyring (loaded only then), else --password-file, else TEND_PASSWORD.
 */
export async function withRepository<T>(
  flags: RepoAccessFlags,
  io: CliIo,
  work: (repository: Repository, destination: OpenDestination) => Promise<T>,
): Promise<T> {
  checkOneWay(flags);
  if (flags.passwordKeyring) {
    const { openOsKeyring, openWithKeyring } = await repoEngine();
    const keyring = await openOsKeyring();
    return withDestination(flags, io, async (destination) =>
      work(await openWithKeyring(destination.backend, keyring), destination),
    );
  }
  const passphrase = await requirePassphrase(flags, process.env);
  return withDestination(flags, io, async (destination) =>
    work(await (await repoEngine()).Repository.open(destination.backend, passphrase), destination),
  );
}

/** A progress line from byte and file counts, in the words job progress uses. */
export function countsLine(
  title: string,
  counts: {
    bytesDone: number;
    bytesTotal: number | null;
    filesDone: number;
    filesTotal: number | null;
  },
): string {
  return formatProgress(title, { ...counts, currentPath: null, etaSeconds: null, message: null });
}

/** Loads the repository engine (repo-engine.ts) when a `tend repo` verb runs. */
export function repoEngine(): Promise<typeof RepoEngine> {
  return import('./repo-engine');
}
