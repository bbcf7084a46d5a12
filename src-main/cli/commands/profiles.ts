/**
 * `tend profiles list` and `tend profiles detect DIR`: the kinds of data folder Tend knows, and
 * which one a folder is. Neither needs a data folder open, and neither writes anything.
 */
import path from 'node:path';
import type { Command } from 'commander';
import { formatBytes } from '../../../src-shared/language/bytes';
import { countOf } from '../../../src-shared/language/counts';
import { withArticle } from '../../../src-shared/language/names';
import type {
  ProfileDetection,
  ProfileInfo,
  StoreChecks,
} from '../../../src-shared/models/profiles';
import type { CliContext } from '../cli-context';
import { readResult } from '../job-result';

/** One profile as `tend profiles list` prints it. */
export function formatProfile(profile: ProfileInfo): string {
  const scopes = profile.scopes.map((scope) => scope.plural).join(', ');
  const stores = [...new Set(profile.stores.map((store) => store.kind))].join(', ');
  return [
    `${profile.id.padEnd(12)}  ${profile.name}`,
    `${''.padEnd(12)}  ${profile.summary}`,
    ...(stores ? [`${''.padEnd(12)}  stores: ${stores}`] : []),
    ...(scopes ? [`${''.padEnd(12)}  a partial backup or restore names ${scopes}`] : []),
  ].join('\n');
}

/** What `tend profiles detect DIR` prints: the verdict, then every profile's match. */
export function formatDetection(detection: ProfileDetection): string {
  const best = detection.matches.find((match) => match.profile === detection.detected);
  const verdict = best
    ? `${detection.path} is ${withArticle(best.name)} folder (${Math.round(best.confidence * 100)}% sure).`
    : `${detection.path} is not an assistant folder.${detection.reason ? ` ${detection.reason}` : ''}`;
  const matches = detection.matches.map((match) => {
    const found = match.markers.filter((marker) => marker.present).map((marker) => marker.path);
    return `  ${match.profile.padEnd(12)}  ${String(Math.round(match.confidence * 100)).padStart(3)}%  ${found.length > 0 ? found.join(', ') : 'none of its markers'}`;
  });
  return [verdict, ...(matches.length > 0 ? ['', ...matches] : [])].join('\n');
}

/**
 * What `tend profiles check` prints: a line a store instance (its state, label and path, what
 * its check says), each finding indented with what to do, and the backup that holds a damaged
 * one.
 */
export function formatStoreChecks(checks: StoreChecks): string {
  const damaged = checks.instances.filter((instance) => !instance.ok).length;
  const head =
    damaged === 0
      ? `${checks.instances.length === 1 ? 'The one store' : `All ${countOf(checks.instances.length, 'store')}`} of the ${checks.profile} folder ${checks.instances.length === 1 ? 'is' : 'are'} sound.`
      : `${damaged} of ${countOf(checks.instances.length, 'store')} of the ${checks.profile} folder ${damaged === 1 ? 'is' : 'are'} damaged.`;
  const lines = [head, ''];
  for (const instance of checks.instances) {
    lines.push(
      `${instance.ok ? 'ok     ' : 'DAMAGED'}  ${instance.label} (${instance.path}): ${instance.summary}`,
    );
    for (const finding of instance.findings) {
      const bytes = finding.bytes === undefined ? '' : ` (${formatBytes(finding.bytes)})`;
      lines.push(`         ${finding.severity}: ${finding.message}${bytes} ${finding.action}`);
    }
    if (instance.restore) {
      lines.push(
        `         restore it from ${instance.restore.backupId} (${instance.restore.archivePath})`,
      );
    }
  }
  return lines.join('\n');
}

/** Registers `tend profiles`. */
export function registerProfileCommands(program: Command, context: CliContext): void {
  const { print, withEngine, followJob } = context;
  const profiles = program
    .command('profiles')
    .description('the kinds of data folder Tend knows (profiles), and which one a folder is');

  profiles
    .command('list')
    .description('every profile: its id, what it is, its stores and scopes')
    .action(async (_options, command: Command) => {
      await withEngine(
        command,
        async (engine) => {
          const { profiles: list } = await engine.call('profiles:list');
          print(command, list, () => list.map(formatProfile).join('\n\n'));
        },
        null,
      );
    });

  profiles
    .command('detect')
    .description('which profile a folder is, by its markers alone (writes nothing)')
    .argument('<dir>', 'the folder to look at')
    .action(async (dir: string, _options, command: Command) => {
      await withEngine(
        command,
        async (engine) => {
          const detection = await engine.call('profiles:detect', { path: path.resolve(dir) });
          print(command, detection, () => formatDetection(detection));
        },
        null,
      );
    });

  profiles
    .command('check')
    .description(
      'check every store of the data folder (reads only; progress on a terminal, Ctrl-C cancels)',
    )
    .action(async (_options, command: Command) => {
      await withEngine(command, async (engine) => {
        const job = await engine.call('profiles:check');
        const finished = await followJob(engine, job);
        const checks = await readResult(finished, 'StoreChecks');
        print(command, checks, () => formatStoreChecks(checks));
      });
    });
}
