import type { Command } from 'commander';
import type { CliContext } from '../cli-context';

/** The `tend` verbs of the backup domain. (Filled in by the backup issue.) */
export function registerBackupCommands(_program: Command, _context: CliContext): void {}
