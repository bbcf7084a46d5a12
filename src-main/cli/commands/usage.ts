import type { Command } from 'commander';
import type { CliContext } from '../cli-context';

/** The `tend` verbs of the usage domain. (Filled in by the usage issue.) */
export function registerUsageCommands(_program: Command, _context: CliContext): void {}
