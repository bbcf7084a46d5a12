/**
 * What things are called, in one place for every page and the command line: the kinds of
 * backup, the states of a job, what a verification found.
 */
import type { BackupKind } from '../models/backup-manifest';
import type { VerifyState } from '../models/backups';
import type { JobState } from '../models/jobs';

/** Each kind of backup: its name, and what it holds. */
export const backupKinds: Readonly<Record<BackupKind, { name: string; holds: string }>> = {
  critical: { name: 'Critical', holds: 'the database, documents, settings and indexes' },
  full: { name: 'Full', holds: 'everything but caches and logs, model files too' },
  custom: { name: 'Custom', holds: 'the kinds of data chosen for it' },
  'pre-restore': {
    name: 'Safety snapshot',
    holds: 'the files a restore replaced or removed, taken before it',
  },
  'pre-migration': {
    name: 'Before a migration',
    holds: 'what a migration changed, taken before it',
  },
  database: { name: 'Database', holds: 'the PostgreSQL database alone, as one dump' },
  'pre-update': {
    name: 'Before an update',
    holds: 'the database and the uploads, taken before the app was updated',
  },
};

/** The name of a kind of backup: "Critical", "Safety snapshot". */
export function backupKindName(kind: BackupKind): string {
  return backupKinds[kind].name;
}

/**
 * A name with its indefinite article, by the sound of its first letter: "an Open WebUI", "an
 * AnythingLLM", "a Jan". Every profile's name starts with a vowel that sounds as one, or not
 * with a vowel at all; a name like "Ubuntu" would need its own rule.
 */
export function withArticle(name: string): string {
  return `${/^[aeiou]/i.test(name) ? 'an' : 'a'} ${name}`;
}

/** Each state of a job, as a person reads it. */
export const jobStateNames: Readonly<Record<JobState, string>> = {
  queued: 'Waiting',
  running: 'Running',
  succeeded: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled',
  interrupted: 'Interrupted',
};

/** What the last verification of an archive found. */
export const verifyStateNames: Readonly<Record<VerifyState, string>> = {
  unverified: 'Not verified yet',
  verified: 'Verified',
  failed: 'Damaged',
};
