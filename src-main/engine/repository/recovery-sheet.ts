import { LOST_PASSPHRASE_WARNING } from './passphrase';

/** What the recovery sheet is made of. */
export interface RecoverySheetFacts {
  /** The repository's address as restic writes it (`restic -r <location>`). */
  readonly location: string;
  readonly repositoryId: string;
  /** The passphrase when Tend generated it; null when the person chose their own. */
  readonly passphrase: string | null;
  readonly createdAt: Date;
  /** The data folder it backs up. */
  readonly root: string;
}

/**
 * The printable recovery sheet shown once when a repository is made: where the backups are,
 * the passphrase (when Tend made it), and how to get the data back without Tend. Plain text,
 * so it prints and copies anywhere. A pure function of its facts.
 */
export function recoverySheet(facts: RecoverySheetFacts): string {
  const quoted = facts.location.includes(' ') ? `"${facts.location}"` : facts.location;
  return [
    'TEND — RECOVERY SHEET FOR ENCRYPTED BACKUPS',
    '',
    `Made:           ${facts.createdAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    `Data folder:    ${facts.root}`,
    `Repository:     ${facts.location}`,
    `Repository id:  ${facts.repositoryId}`,
    facts.passphrase === null
      ? 'Passphrase:     the one you chose (it is not printed here; write it below by hand)'
      : `Passphrase:     ${facts.passphrase}`,
    '',
    facts.passphrase === null ? 'Passphrase: ______________________________________' : '',
    '',
    'A lost passphrase is lost backups. Nobody, Tend included, can read these backups',
    'without it. Keep this sheet somewhere safe, away from this computer.',
    ...(facts.passphrase === null ? [] : ['', LOST_PASSPHRASE_WARNING]),
    '',
    'To get your data back without Tend, install restic (https://restic.net) and run:',
    `  restic -r ${quoted} snapshots`,
    `  restic -r ${quoted} restore latest --target ./restored`,
    '',
  ]
    .filter((line, index, lines) => !(line === '' && lines[index - 1] === ''))
    .join('\n');
}
