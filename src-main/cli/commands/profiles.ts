/**
 * `tend profiles list` and `tend profiles detect DIR`: the kinds of data folder Tend knows, and
 * which one a folder is. Neither needs a data folder open, and neither writes anything.
 */
import path from 'node:path';
import type { Command } from 'commander';
import type { ProfileDetection, ProfileInfo } from '../../../src-shared/models/profiles';
import type { CliContext } from '../cli-context';

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
    ? `${detection.path} is a ${best.name} folder (${Math.round(best.confidence * 100)}% sure).`
    : `${detection.path} is not an assistant folder${detection.reason ? `: ${detection.reason}` : '.'}`;
  const matches = detection.matches.map((match) => {
    const found = match.markers.filter((marker) => marker.present).map((marker) => marker.path);
    return `  ${match.profile.padEnd(12)}  ${String(Math.round(match.confidence * 100)).padStart(3)}%  ${found.length > 0 ? found.join(', ') : 'none of its markers'}`;
  });
  return [verdict, ...(matches.length > 0 ? ['', ...matches] : [])].join('\n');
}

/** Registers `tend profiles`. */
export function registerProfileCommands(program: Command, context: CliContext): void {
  const { print, withEngine } = context;
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
}
