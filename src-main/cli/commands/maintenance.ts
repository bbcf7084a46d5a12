import type { Command } from 'commander';
import type { CliContext } from '../cli-context';

/** The `tend` verbs of the maintenance domain. (Filled in by the maintenance issue.) */
export function registerMaintenanceCommands(_program: Command, _context: CliContext): void {}
