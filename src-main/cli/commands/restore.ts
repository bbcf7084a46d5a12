import type { Command } from 'commander';
import type { CliContext } from '../cli-context';

/** The `tend` verbs of the restore domain. (Filled in by the restore issue.) */
export function registerRestoreCommands(_program: Command, _context: CliContext): void {}
