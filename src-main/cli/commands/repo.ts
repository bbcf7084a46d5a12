import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { TendFailure } from '../../../src-shared/tend-failure';
import { formatBytes } from '../../../src-shared/language/bytes';
import { countOf, formatCount } from '../../../src-shared/language/counts';
import type { SnapshotEntry } from '../../engine/repository/snapshot-reader';
import type * as RepoEngine from './repo-engine';
import type { Engine } from '../../engine/engine';
import type { CliContext } from '../cli-context';
import { progressLine } from '../progress-line';

type PruneReport = Awaited<ReturnType<typeof RepoEngine.pruneRepository>>;
import {
  givenPassphrase,
  parseFlags,
  countsLine,
  repoEngine,
  readPassphraseFile,
  requirePassphrase,
  withDestination,
  withRepository,
} from './repo-access';

/** A snapshot as `--json` prints it (times as ISO text, not restic's nanoseconds). */
function snapshotJson({ nanosToDate, snapshotKind }: typeof RepoEngine, snapshot: SnapshotEntry) {
  return {
    id: snapshot.id,
    shortId: snapshot.id.slice(0, 8),
    time: nanosToDate(snapshot.time).toISOString(),
    kind: snapshotKind(snapshot),
    hostname: snapshot.hostname ?? null,
    paths: snapshot.paths,
    tags: snapshot.tags ?? [],
  };
}

const TO_HELP =
  'the repository: a folder, sftp:user@host:/path (or sftp://user@host:port//path), s3:https://host/bucket/prefix';

function withAccessOptions(command: Command, toRequired = false): Command {
  return (
    toRequired
      ? command.requiredOption('--to <dest>', TO_HELP)
      : command.option('--to <dest>', `${TO_HELP} (else the one the data folder's Settings name)`)
  )
    .option(
      '--password-file <file>',
      "a file whose first line is the repository's passphrase (else $TEND_PASSWORD, then $TEND_PASSWORD_FILE)",
    )
    .option(
      '--password-keyring',
      'read the passphrase from the OS keyring, where "tend repo key remember" kept it',
    )
    .option('--identity <file>', 'an SSH private key for sftp: (else ssh-agent)');
}

/** The real path of `candidate`, or of its deepest existing ancestor with the rest appended. */
function realPathOfNew(candidate: string): string {
  const rest: string[] = [];
  let at = path.resolve(candidate);
  for (;;) {
    try {
      return path.join(fs.realpathSync(at), ...rest.reverse());
    } catch {
      const parent = path.dirname(at);
      if (parent === at) return path.resolve(candidate);
      rest.push(path.basename(at));
      at = parent;
    }
  }
}

/**
 * The `tend repo` verbs (issue 12): encrypted, deduplicated backups in a restic-format
 * repository on a folder, an SFTP server or S3-compatible storage, which `restic` opens too.
 */
export function registerRepoCommands(program: Command, context: CliContext): void {
  const { io, print, globals, withEngine, followJob } = context;
  const repo = program
    .command('repo')
    .description(
      'encrypted, deduplicated backups in a restic-format repository (a folder, SFTP or S3)',
    );

  const stopSignal = () => stopSignalOf(context);

  withAccessOptions(
    repo
      .command('init')
      .description(
        'make a new repository (passphrase from --password-file or $TEND_PASSWORD, else generated and shown once)',
      )
      .option('--remember', "keep the repository's passphrase in the OS keyring"),
    true,
  ).action(async (_opts, command: Command) => {
    const flags = parseFlags(
      (await repoEngine()).flagSchemas.RepoInitFlagsSchema,
      command.optsWithGlobals(),
    );
    if (flags.passwordKeyring) {
      throw new TendFailure(
        'INVALID_INPUT',
        'A new repository has no passphrase in the keyring yet: give --remember to keep its passphrase there.',
      );
    }
    const given = await givenPassphrase(flags, process.env);
    const { generatePassphrase, LOST_PASSPHRASE_WARNING, openOsKeyring, rememberPassphrase } =
      await repoEngine();
    // Opened first: no keyring here fails before anything is written.
    const keyring = flags.remember ? await openOsKeyring() : null;
    const passphrase = given ?? generatePassphrase();
    await withDestination(flags, io, async ({ backend, location }) => {
      const repository = await (await repoEngine()).Repository.init(backend, passphrase);
      if (given === null) io.stderr(`${LOST_PASSPHRASE_WARNING}\n`);
      // A keyring that fails now must not lose a generated passphrase: it is printed first.
      let rememberFailure: unknown = null;
      const remembered = keyring
        ? await rememberPassphrase(keyring, repository, passphrase).catch((error: unknown) => {
            rememberFailure = error;
            return null;
          })
        : null;
      print(
        command,
        {
          location,
          repositoryId: repository.config.id,
          keyId: repository.keyId,
          passphraseGenerated: given === null,
          ...(given === null ? { passphrase } : {}),
          remembered: remembered !== null,
        },
        () =>
          [
            `Created a repository at ${location} (id ${repository.config.id.slice(0, 8)}).`,
            ...(given === null ? [`Passphrase: ${passphrase}`] : []),
            ...(remembered
              ? ['Its passphrase is kept in the OS keyring (--password-keyring).']
              : []),
          ].join('\n'),
      );
      if (rememberFailure) throw rememberFailure;
    });
  });

  withAccessOptions(
    repo
      .command('backup')
      .description(
        'back up the data folder into the repository (progress on stderr, the snapshot id on stdout)',
      ),
  ).action(async (_opts, command: Command) => {
    await withEngine(command, async (engine) => {
      const root = engine.rootPath;
      if (!root) {
        throw new TendFailure(
          'NO_ROOT',
          'Say which data folder to back up: --root DIR (or $TEND_ROOT).',
        );
      }
      const flags = parseFlags(
        (await repoEngine()).flagSchemas.RepoAccessFlagsSchema,
        await accessOptions(command, context, engine),
      );
      // Database snapshots wait in Tend's state of the folder, never in the folder itself; the
      // name says which process they belong to, so another Tend's start-up leaves them.
      const stagingDir = path.join(
        engine.requireSession().state.backupTemp,
        `repository-pid-${process.pid}`,
      );
      // A job of the folder, as the app's backups into the repository are: the data lock is
      // held (never beside a restore half done), and the catalog knows of the snapshot (Last
      // backup, whether backups still happen).
      const jobs = engine.requireSession().jobs;
      const progress = progressLine(io);
      const job = jobs.start({
        kind: 'backup',
        title: 'Back up (full, encrypted repository)',
        writesRoot: true,
        run: async (context) => {
          fs.mkdirSync(stagingDir, { recursive: true });
          try {
            return await withRepository(flags, io, async (repository, { location }) => ({
              ...(await (
                await repoEngine()
              ).backupSnapshot(repository, {
                root,
                stagingDir,
                tags: ['kind:full'],
                signal: context.signal,
                onProgress: (p) =>
                  progress.update(
                    `${countsLine('Backing up', p)}  ${formatBytes(p.bytesStored)} stored  ${p.currentPath}`,
                  ),
              })),
              kind: 'full',
              location,
            }));
          } finally {
            fs.rmSync(stagingDir, { recursive: true, force: true });
          }
        },
      });
      stopSignal().addEventListener('abort', () => {
        try {
          jobs.cancel(job.id);
        } catch {
          // Already ended.
        }
      });
      const finished = await jobs.wait(job.id).finally(() => progress.done());
      if (finished.error) {
        throw new TendFailure(finished.error.code, finished.error.message, finished.error.details);
      }
      const result = finished.result as Awaited<ReturnType<typeof RepoEngine.backupSnapshot>>;
      if (globals(command).json) {
        print(command, result, () => '');
        return;
      }
      const files = result.files.new + result.files.changed + result.files.unchanged;
      io.stderr(
        `Backed up ${countOf(files, 'file')} (${formatBytes(result.bytesTotal)}): ${formatCount(result.files.new)} new, ${formatCount(result.files.changed)} changed, ${formatCount(result.files.unchanged)} unchanged; ${formatBytes(result.bytesStored)} added to the repository.\n`,
      );
      for (const skip of result.skipped) io.stderr(`skipped ${skip.path}: ${skip.reason}\n`);
      io.stdout(`${result.snapshotId}\n`);
    });
  });

  withAccessOptions(
    repo.command('snapshots').description('list the snapshots, newest first'),
  ).action(async (_opts, command: Command) => {
    const flags = parseFlags(
      (await repoEngine()).flagSchemas.RepoAccessFlagsSchema,
      await accessOptions(command, context),
    );
    await withRepository(flags, io, async (repository) => {
      const engine = await repoEngine();
      const snapshots = (await engine.listSnapshots(repository)).map((snapshot) =>
        snapshotJson(engine, snapshot),
      );
      print(command, snapshots, () =>
        snapshots.length === 0
          ? 'No snapshots yet.'
          : snapshots
              .map(
                (s) =>
                  `${s.shortId}  ${s.time.replace('T', ' ').slice(0, 19)}  ${s.kind.padEnd(8)}  ${(s.hostname ?? '').padEnd(16)}  ${s.paths.join(', ')}`,
              )
              .join('\n'),
      );
    });
  });

  withAccessOptions(
    repo
      .command('restore')
      .description(
        'restore a snapshot (or one path of it with --include) into a new folder, never over the data folder',
      )
      .argument('<snapshot>', 'a snapshot id, a unique prefix of one, or latest')
      .requiredOption('--target <dir>', 'a new or empty folder to restore into')
      .option('--include <path>', 'restore only this file or folder (as the snapshot lists it)'),
  ).action(async (snapshot: string, _opts, command: Command) => {
    const flags = parseFlags(
      (await repoEngine()).flagSchemas.RepoRestoreFlagsSchema,
      await accessOptions(command, context),
    );
    const target = realPathOfNew(flags.target);
    // A file where the folder should be is refused in words (the restore's own check only
    // knows folders, and said "ENOTDIR").
    if (fs.statSync(target, { throwIfNoEntry: false })?.isDirectory() === false) {
      throw new TendFailure(
        'RESTORE_TARGET_NOT_EMPTY',
        `${flags.target} is a file; restore into a new or empty folder.`,
        { target },
      );
    }
    const root = await withEngine(command, async (engine) => engine.rootPath);
    if (root) {
      const realRoot = realPathOfNew(root);
      const { isWithin } = await repoEngine();
      if (isWithin(realRoot, target) || isWithin(target, realRoot)) {
        throw new TendFailure(
          'PATH_NOT_ALLOWED',
          `${flags.target} is the data folder ${root}, inside it or holds it: restore into a new folder elsewhere, then copy back what you need.`,
          { target, root },
        );
      }
    }
    await withRepository(flags, io, async (repository) => {
      const progress = progressLine(io);
      const result = await (
        await repoEngine()
      )
        .restoreSnapshot(repository, snapshot, {
          target,
          ...(flags.include ? { path: flags.include } : {}),
          signal: stopSignal(),
          onProgress: (p) =>
            progress.update(
              `${countsLine('Restoring', { ...p, filesDone: 0, filesTotal: null })}  ${countOf(p.filesTotal, 'file')}`,
            ),
        })
        .finally(() => progress.done());
      for (const skip of result.skipped) io.stderr(`skipped ${skip.path}: ${skip.reason}\n`);
      print(
        command,
        result,
        () =>
          `Restored ${countOf(result.files, 'file')} (${formatBytes(result.bytes)}) from snapshot ${result.snapshotId.slice(0, 8)} to ${target}.`,
      );
    });
  });

  withAccessOptions(
    repo
      .command('check')
      .description(
        'check that every snapshot can be restored: packs there with their sizes, or with --read-data every blob decrypted and hashed (exit 7 when damaged)',
      )
      .option(
        '--read-data',
        'read, decrypt and hash every blob (slow: reads the whole repository)',
      ),
  ).action(async (_opts, command: Command) => {
    const flags = parseFlags(
      (await repoEngine()).flagSchemas.RepoCheckFlagsSchema,
      await accessOptions(command, context),
    );
    await withRepository(flags, io, async (repository) => {
      const progress = progressLine(io);
      const result = await (
        await repoEngine()
      )
        .verifyRepository(repository, {
          mode: flags.readData ? 'full' : 'quick',
          signal: stopSignal(),
          onProgress: (p) => progress.update(`Checking  pack ${p.packsDone} of ${p.packsTotal}`),
        })
        .finally(() => progress.done());
      print(command, result, () => {
        const lines = [
          `${result.ok ? 'OK' : 'DAMAGED'}: ${result.mode === 'full' ? 'read every blob' : 'checked every pack'} of ${countOf(result.snapshots, 'snapshot')} in ${countOf(result.packs, 'pack')}.`,
        ];
        for (const problem of result.problems) lines.push(`  ${problem}`);
        for (const damaged of result.damaged) {
          lines.push(
            `  snapshot ${damaged.snapshotId.slice(0, 8)} (${damaged.time}): ${damaged.files.join(', ')}`,
          );
        }
        return lines.join('\n');
      });
      if (!result.ok) {
        throw new TendFailure(
          'BACKUP_CORRUPT',
          `The repository is damaged: ${result.damaged.length} snapshots cannot be fully restored. Make a new backup now; the listed files need an older snapshot or another copy.`,
        );
      }
    });
  });

  withAccessOptions(
    repo
      .command('forget')
      .description(
        'keep 7 daily, 4 weekly and 12 monthly snapshots of each kind, forget the rest, then prune what no snapshot needs (a job of the data folder, when there is one)',
      )
      .option('--daily <n>', 'days to keep one snapshot of', '7')
      .option('--weekly <n>', 'weeks to keep one snapshot of', '4')
      .option('--monthly <n>', 'months to keep one snapshot of', '12')
      .option('--dry-run', 'show what would go, change nothing'),
  ).action(async (_opts, command: Command) => {
    // One engine for the verb: the repository from Settings when --to is left out, and the
    // data folder the thinning out is a job of.
    const { flags, outcome } = await withEngine(command, async (engine) => {
      const flags = parseFlags(
        (await repoEngine()).flagSchemas.RepoForgetFlagsSchema,
        await accessOptions(command, context, engine),
      );
      /** Forgets and prunes; what the app's thinning out returns is what its job keeps. */
      const thinOut = async (signal: AbortSignal) =>
        withRepository(flags, io, async (repository) => {
          const parts = await repoEngine();
          const plan = parts.planSnapshotRetention(await parts.listSnapshots(repository), flags);
          const keep = plan.filter((d) => d.action === 'keep').map((d) => d.id);
          let removed: ReadonlyArray<string> = [];
          let prune: PruneReport | null = null;
          if (!flags.dryRun) {
            if (plan.some((d) => d.action === 'delete')) {
              removed = (await parts.forgetSnapshots(repository, keep)).removed;
            }
            prune = await parts.pruneRepository(repository, { signal });
          }
          return { plan, removed, prune };
        });
      // With a data folder (--root, $TEND_ROOT or the one last used), a job of it, as the
      // app's thinning out is: the catalog then knows which snapshots are gone, and the Health
      // panel no longer counts one as its last verified backup.
      if (flags.dryRun || !engine.rootPath) return { flags, outcome: await thinOut(stopSignal()) };
      let done: Awaited<ReturnType<typeof thinOut>> | null = null;
      const job = engine.requireSession().jobs.start({
        kind: 'prune',
        title: 'Thin out old encrypted snapshots (tend repo forget)',
        writesRoot: false,
        run: async (context) => {
          done = await thinOut(context.signal);
          return {
            removed: done.removed,
            kept: done.plan.filter((d) => d.action === 'keep').map((d) => d.id),
            packsRemoved: done.prune?.remove.length ?? 0,
            packsRepacked: done.prune?.repack.length ?? 0,
          };
        },
      });
      await followJob(engine, job);
      return { flags, outcome: done! };
    });
    const { plan, prune } = outcome;
    const forget = plan.filter((d) => d.action === 'delete');
    print(command, { decisions: plan, prune }, () => {
      const lines = plan.map(
        (d) =>
          `${d.action === 'keep' ? 'keep  ' : flags.dryRun ? 'forget' : 'forgot'}  ${d.id.slice(0, 8)}  ${d.createdAt.replace('T', ' ').slice(0, 19)}  ${d.reason}`,
      );
      lines.push(
        '',
        `${flags.dryRun ? 'Would forget' : 'Forgot'} ${formatCount(forget.length)} of ${countOf(plan.length, 'snapshot')} (policy: ${flags.daily} daily, ${flags.weekly} weekly, ${flags.monthly} monthly).`,
      );
      if (prune) {
        lines.push(
          `Pruned: ${prune.remove.length} packs removed, ${prune.repack.length} repacked, ${formatBytes(prune.unusedBytes)} freed.`,
        );
      }
      return lines.join('\n');
    });
  });

  const key = repo
    .command('key')
    .description(
      'the passphrases (keys) that open the repository: add, list, remove; remember or forget one in the OS keyring',
    );

  withAccessOptions(
    key
      .command('add')
      .description(
        'add a passphrase (from --new-password-file or $TEND_NEW_PASSWORD, else generated and shown once); no data is rewritten',
      )
      .option('--new-password-file <file>', "a file whose first line is the new key's passphrase"),
  ).action(async (_opts, command: Command) => {
    const flags = parseFlags(
      (await repoEngine()).flagSchemas.RepoKeyAddFlagsSchema,
      await accessOptions(command, context),
    );
    const given = flags.newPasswordFile
      ? await readPassphraseFile(flags.newPasswordFile)
      : process.env.TEND_NEW_PASSWORD || null;
    const { generatePassphrase, LOST_PASSPHRASE_WARNING } = await repoEngine();
    const passphrase = given ?? generatePassphrase();
    await withRepository(flags, io, async (repository) => {
      const id = await repository.addKey(passphrase);
      if (given === null) io.stderr(`${LOST_PASSPHRASE_WARNING}\n`);
      print(
        command,
        { keyId: id, passphraseGenerated: given === null, ...(given ? {} : { passphrase }) },
        () =>
          [`Added key ${id.slice(0, 8)}.`, ...(given ? [] : [`Passphrase: ${passphrase}`])].join(
            '\n',
          ),
      );
    });
  });

  withAccessOptions(
    key.command('list').description('list the keys; * marks the one this passphrase opened'),
  ).action(async (_opts, command: Command) => {
    const flags = parseFlags(
      (await repoEngine()).flagSchemas.RepoAccessFlagsSchema,
      await accessOptions(command, context),
    );
    await withRepository(flags, io, async (repository) => {
      const keys = await repository.listKeys();
      print(
        command,
        keys.map((k) => ({ ...k, created: k.created?.toISOString() ?? null })),
        () =>
          keys
            .map(
              (k) =>
                `${k.current ? '*' : ' '} ${k.id.slice(0, 8)}  ${k.username}@${k.hostname}  ${k.created?.toISOString().replace('T', ' ').slice(0, 19) ?? ''}`,
            )
            .join('\n'),
      );
    });
  });

  withAccessOptions(
    key
      .command('remove')
      .description('remove a key (not the one in use: open with another passphrase first)')
      .argument('<id>', 'the key id, or a unique prefix of it'),
  ).action(async (id: string, _opts, command: Command) => {
    const flags = parseFlags(
      (await repoEngine()).flagSchemas.RepoAccessFlagsSchema,
      await accessOptions(command, context),
    );
    await withRepository(flags, io, async (repository) => {
      const matches = (await repository.listKeys()).filter((k) => k.id.startsWith(id));
      if (matches.length !== 1) {
        throw new TendFailure(
          'INVALID_INPUT',
          matches.length === 0
            ? `No key starts with ${id}; "tend repo key list" shows them.`
            : `${id} matches ${matches.length} keys; give more of the id.`,
        );
      }
      // As the app's Settings do: a remembered passphrase that opened only this key goes too.
      const { osKeyringOrNone, removeKeyWithItsPassphrase } = await repoEngine();
      const removed = matches[0]!.id;
      const keyringForgotten = await removeKeyWithItsPassphrase(
        repository,
        removed,
        await osKeyringOrNone(),
      );
      print(command, { removed, keyringForgotten }, () =>
        [
          `Removed key ${removed.slice(0, 8)}.`,
          ...(keyringForgotten
            ? [
                `Removed its passphrase from the OS keyring too: it opened no other key of repository ${repository.config.id.slice(0, 8)}.`,
              ]
            : []),
        ].join('\n'),
      );
    });
  });

  withAccessOptions(
    key
      .command('remember')
      .description(
        "keep the repository's passphrase (from --password-file or $TEND_PASSWORD) in the OS keyring, under the repository's id; then --password-keyring opens it",
      ),
  ).action(async (_opts, command: Command) => {
    const flags = parseFlags(
      (await repoEngine()).flagSchemas.RepoAccessFlagsSchema,
      await accessOptions(command, context),
    );
    if (flags.passwordKeyring) {
      throw new TendFailure(
        'INVALID_INPUT',
        'Give the passphrase to remember with --password-file or TEND_PASSWORD.',
      );
    }
    const passphrase = await requirePassphrase(flags, process.env);
    const { openOsKeyring, rememberPassphrase, Repository } = await repoEngine();
    const keyring = await openOsKeyring();
    await withDestination(flags, io, async ({ backend, location }) => {
      // Opened first: only a passphrase that opens the repository is kept.
      const repository = await Repository.open(backend, passphrase);
      const change = await rememberPassphrase(keyring, repository, passphrase);
      print(
        command,
        { ...change, location },
        () =>
          `${change.existed ? 'Replaced' : 'Kept'} the passphrase of repository ${change.repositoryId.slice(0, 8)} (${location}) in the OS keyring; --password-keyring reads it.`,
      );
    });
  });

  withAccessOptions(
    key
      .command('forget')
      .description(
        "remove the repository's passphrase from the OS keyring (the repository and its keys stay as they are)",
      ),
  ).action(async (_opts, command: Command) => {
    const flags = parseFlags(
      (await repoEngine()).flagSchemas.RepoAccessFlagsSchema,
      await accessOptions(command, context),
    );
    const { openOsKeyring, forgetPassphrase } = await repoEngine();
    const keyring = await openOsKeyring();
    await withRepository(flags, io, async (repository, { location }) => {
      const change = await forgetPassphrase(keyring, repository.config.id);
      print(command, { ...change, location }, () =>
        change.existed
          ? `Removed the passphrase of repository ${change.repositoryId.slice(0, 8)} (${location}) from the OS keyring.`
          : `The OS keyring held no passphrase of repository ${change.repositoryId.slice(0, 8)} (${location}); nothing changed.`,
      );
    });
  });

  registerSnapshotExport(repo, context);
}

/** An AbortSignal that fires on Ctrl-C (SIGINT/SIGTERM). */
function stopSignalOf(context: CliContext): AbortSignal {
  const controller = new AbortController();
  void context.options.stopSignal.then(() => controller.abort());
  return controller.signal;
}

/**
 * `export <snapshot> <file>` under `parent`: `tend repo export` and `tend backup export` as
 * issue 12 names it. The archive is written beside its name (`.partial`), made durable, then
 * renamed: a file by that name is always a whole archive.
 */
export function registerSnapshotExport(parent: Command, context: CliContext): void {
  const { io, print } = context;
  withAccessOptions(
    parent
      .command('export')
      .description(
        'write a snapshot of the encrypted repository as one .tar.gz that GNU tar opens (never over an existing file)',
      )
      .argument('<snapshot>', 'a snapshot id, a unique prefix of one, or latest')
      .argument('<file>', 'the .tar.gz to write'),
  ).action(async (snapshot: string, file: string, _opts, command: Command) => {
    const flags = parseFlags(
      (await repoEngine()).flagSchemas.RepoAccessFlagsSchema,
      await accessOptions(command, context),
    );
    const output = path.resolve(file);
    if (fs.existsSync(output)) {
      throw new TendFailure('PATH_EXISTS', `${output} already exists; choose a new file name.`, {
        path: output,
      });
    }
    const partial = `${output}.partial`;
    await withRepository(flags, io, async (repository) => {
      let fd: number;
      try {
        fd = fs.openSync(partial, 'wx');
      } catch (error) {
        // Someone's file, or one an export cut short left: not Tend's to remove.
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        throw new TendFailure(
          'PATH_EXISTS',
          `${partial} is in the way (left by an export that stopped?); move it, or choose another file name.`,
          { path: partial },
        );
      }
      try {
        const stream = fs.createWriteStream(partial, { fd });
        // The export's pipeline ends only when the file is written and closed.
        const result = await (
          await repoEngine()
        ).exportSnapshotTar(repository, snapshot, stream, { signal: stopSignalOf(context) });
        const { syncFileSync, renameDurablySync } = await repoEngine();
        syncFileSync(partial);
        renameDurablySync(partial, output);
        for (const skip of result.skipped) io.stderr(`skipped ${skip.path}: ${skip.reason}\n`);
        print(
          command,
          { ...result, file: output },
          () =>
            `Wrote snapshot ${result.snapshotId.slice(0, 8)} (${countOf(result.files, 'file')}, ${formatBytes(result.bytes)}) to ${output}.`,
        );
      } catch (error) {
        fs.rmSync(partial, { force: true });
        throw error;
      }
    });
  });
}

/**
 * A repo verb's options: with --to left out, the repository the data folder's Settings name
 * for scheduled backups (and its SFTP key), as a person who set it up in the app expects. A
 * verb that runs an engine anyway passes it (`open`), so no second one starts.
 */
async function accessOptions(
  command: Command,
  { withEngine }: CliContext,
  open?: Engine,
): Promise<{ to?: string; identity?: string }> {
  const raw = command.optsWithGlobals<{ to?: string; identity?: string }>();
  if (raw.to !== undefined) return raw;
  const fromSettings = async (engine: Engine) => {
    if (!engine.rootPath) {
      throw new TendFailure(
        'NO_ROOT',
        'Say which repository: --to DEST, or --root DIR of a data folder whose Settings name one.',
      );
    }
    return settingsRepository(engine, raw);
  };
  return open ? fromSettings(open) : withEngine(command, fromSettings);
}

/** The access flags with --to (and an SFTP key) from the data folder's settings. */
async function settingsRepository<T extends { identity?: string }>(
  engine: Engine,
  flags: T,
): Promise<T & { to: string }> {
  const settings = await engine.call('settings:get');
  const destination = settings.backup.repository;
  if (!destination) {
    throw new TendFailure(
      'INVALID_INPUT',
      'No encrypted repository is set for this data folder: give --to DEST, or choose one in Settings › Encrypted backups.',
    );
  }
  const { addressOfDestination, formatDestinationAddress } = await repoEngine();
  const identity =
    flags.identity ??
    (destination.kind === 'sftp' ? (destination.identityFile ?? undefined) : undefined);
  return {
    ...flags,
    to: formatDestinationAddress(addressOfDestination(destination)),
    ...(identity ? { identity } : {}),
  };
}
