import type { Command } from 'commander';
import type { CliContext } from '../cli-context';

/** The `tend` verbs of the vectors domain. (Filled in by the vectors issue.) */
export function registerVectorCommands(_program: Command, _context: CliContext): void {}
