/**
 * How a finished job ended, in words, for the place it was started from: what it changed when
 * it succeeded, the message and what to do when it did not.
 *
 * A job's result crosses the contract as `unknown`; each kind is read here with its schema
 * from src-shared (never by guessing at field names), so a changed result is a failed parse
 * that still says "Done", not a wrong sentence.
 */
import type { z } from 'zod';
import { formatBytes } from '../../../src-shared/language/bytes';
import { countOf, formatCount } from '../../../src-shared/language/counts';
import { BackupRecordSchema } from '../../../src-shared/models/backups';
import {
  IndexHealthJobResultSchema,
  VerifyJobResultSchema,
} from '../../../src-shared/models/job-results';
import { isFinished, type JobRecord } from '../../../src-shared/models/jobs';
import {
  ArchivalReportSchema,
  LegacyMigrationReportSchema,
  RecordTransferReportSchema,
  SchemaMigrationReportSchema,
  ScrubReportSchema,
} from '../../../src-shared/models/maintenance';
import {
  RestoreExportResultSchema,
  RestoreImportResultSchema,
  RestoreReportSchema,
} from '../../../src-shared/models/restore';
import { describeRestoreCounts, reportCounts } from '../../../src-shared/models/restore-counts';
import {
  MigrationRunResultSchema,
  SwapRestoreResultSchema,
} from '../../../src-shared/models/postgres';
import {
  RepositoryBackupResultSchema,
  RepositoryRetentionResultSchema,
  RepositoryVerifyResultSchema,
} from '../../../src-shared/models/repository';
import { CleanResultSchema } from '../../../src-shared/models/usage';
import { CompactionRecordSchema, ImportResultSchema } from '../../../src-shared/models/vectors';

/** A finished job's outcome, as the page that started it shows it. */
export interface JobOutcome {
  readonly tone: 'ok' | 'warning' | 'bad';
  /** A few words: "Backed up", "Dry run done", "The migration failed". */
  readonly title: string;
  /** What changed, or what went wrong. */
  readonly detail: string | null;
  /** What to do next, when something did not work. */
  readonly advice: string | null;
}

function read<T extends z.ZodType>(schema: T, value: unknown): z.output<T> | null {
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** What a job that succeeded changed, from its result; null when its kind says nothing more. */
function successDetail(job: JobRecord): { title: string; detail: string | null } {
  const result = job.result;
  switch (job.kind) {
    case 'backup': {
      const snapshot = read(RepositoryBackupResultSchema, result);
      if (snapshot) {
        const { files } = snapshot;
        const skipped =
          snapshot.skipped.length > 0
            ? ` ${countOf(snapshot.skipped.length, 'file')} could not be read and ${snapshot.skipped.length === 1 ? 'is' : 'are'} not in it: ${snapshot.skipped[0]!.path} ${snapshot.skipped[0]!.reason}.`
            : '';
        return {
          title: 'Backed up',
          detail: `Snapshot ${snapshot.snapshotId.slice(0, 8)}: ${countOf(files.new + files.changed + files.unchanged, 'file')} (${formatBytes(snapshot.bytesTotal)}), ${formatCount(files.new)} new, ${formatCount(files.changed)} changed, ${formatCount(files.unchanged)} unchanged; ${formatBytes(snapshot.bytesStored)} added to the repository.${skipped}`,
        };
      }
      const record = read(BackupRecordSchema, result);
      if (!record) break;
      const warned =
        record.warnings.length > 0
          ? ` ${countOf(record.warnings.length, 'warning')}: ${record.warnings[0]!.path} ${record.warnings[0]!.message}`
          : '';
      return {
        title: 'Backed up',
        detail: `${countOf(record.files ?? 0, 'file')} (${formatBytes(record.dataBytes ?? 0)} of data) into ${record.fileName}, a ${formatBytes(record.archiveBytes ?? 0)} archive, in ${seconds(record.durationMs ?? 0)}.${warned}`,
      };
    }
    case 'verify': {
      const verified = read(VerifyJobResultSchema, result);
      if (verified) {
        const files = verified.reports.reduce((sum, report) => sum + report.filesChecked, 0);
        return {
          title: 'Verified',
          detail: `${countOf(verified.reports.length, 'backup')} read again: every file matches its checksum (${countOf(files, 'file')} checked).`,
        };
      }
      const repository = read(RepositoryVerifyResultSchema, result);
      if (repository) {
        const snapshots =
          repository.snapshots === 1
            ? 'the one snapshot'
            : `all ${countOf(repository.snapshots, 'snapshot')}`;
        return {
          // A quick check reads no blob: it finds the packs, it does not verify the data.
          title: repository.mode === 'full' ? 'Verified' : 'Checked',
          detail:
            repository.mode === 'full'
              ? `Every blob of ${countOf(repository.packs, 'pack')} decrypted and its hash checked: ${snapshots} can be restored.`
              : `${countOf(repository.packs, 'pack')} there, each with its size, for ${snapshots} (“Check every byte” reads them all).`,
        };
      }
      const imported = read(RestoreImportResultSchema, result);
      if (imported) {
        return {
          title: 'Imported',
          detail: `${imported.backupId}: ${countOf(imported.files, 'file')} checked, listed with your backups.`,
        };
      }
      break;
    }
    case 'prune': {
      const thinned = read(RepositoryRetentionResultSchema, result);
      if (!thinned) break;
      const packs = thinned.packsRemoved + thinned.packsRepacked;
      return {
        title: 'Thinned out',
        detail:
          thinned.removed.length === 0
            ? `Every snapshot is within the retention; ${countOf(thinned.kept.length, 'snapshot')} kept.`
            : `${countOf(thinned.removed.length, 'snapshot')} forgotten, ${countOf(thinned.kept.length, 'snapshot')} kept; ${packs === 0 ? 'no pack held only their data' : `${countOf(packs, 'pack')} of their data removed or rewritten`}.`,
      };
    }
    case 'cleanup': {
      const cleaned = read(CleanResultSchema, result);
      if (!cleaned) break;
      const skipped =
        cleaned.skipped.length > 0
          ? ` ${countOf(cleaned.skipped.length, 'file')} left alone because ${cleaned.skipped.length === 1 ? 'it' : 'they'} changed since the preview.`
          : '';
      return {
        title: 'Cleaned up',
        detail: `${countOf(cleaned.done.length, 'file')} cleaned, ${formatBytes(cleaned.freedBytes)} freed.${skipped}`,
      };
    }
    case 'vectors-compact': {
      const compaction = read(CompactionRecordSchema, result);
      if (!compaction) break;
      const before =
        compaction.bytesBefore === null ? '' : `${formatBytes(compaction.bytesBefore)} → `;
      return {
        title: 'Compacted',
        detail: `The index of ${compaction.collection} was rebuilt from the database: ${countOf(compaction.vectorsAfter, 'vector')}, ${before}${formatBytes(compaction.bytesAfter)}, in ${compaction.seconds.toFixed(1)} s.`,
      };
    }
    case 'vectors-health': {
      const health = read(IndexHealthJobResultSchema, result);
      if (!health) break;
      return {
        title: 'Checked',
        detail: `${countOf(health.collections.length, 'collection')} checked; the figures below are new.`,
      };
    }
    case 'vectors-import': {
      const imported = read(ImportResultSchema, result);
      if (!imported) break;
      return {
        title: 'Imported',
        detail: `${countOf(imported.chunksAdded, 'chunk')} of ${countOf(imported.documentsAdded, 'document')} into ${imported.collection}.`,
      };
    }
    case 'migration': {
      const legacy = read(LegacyMigrationReportSchema, result);
      if (legacy) {
        const undo = job.title.startsWith('Undo');
        // What could not go where it was meant to is named, never left to be found later.
        const stayed = [
          legacy.leftInPlace.length > 0
            ? `${countOf(legacy.leftInPlace.length, 'file')} arrived in data/ meanwhile and stay there: ${legacy.leftInPlace.join(', ')}.`
            : null,
          legacy.notPutBack.length > 0
            ? `${countOf(legacy.notPutBack.length, 'file')} stay in local_data/, as a new file took their place in data/: ${legacy.notPutBack.join(', ')}.`
            : null,
          legacy.keptAside.length > 0
            ? `${countOf(legacy.keptAside.length, 'file')} set aside could not be put back and wait in ${legacy.setAsideFolder}: ${legacy.keptAside.join(', ')}.`
            : null,
        ]
          .filter(Boolean)
          .join(' ');
        const also = stayed ? ` ${stayed}` : '';
        if (undo) {
          return {
            title: 'Migration undone',
            detail: `${countOf(legacy.moved + legacy.copied, 'file')} put back into data/.${also}`,
          };
        }
        const parts = [
          legacy.moved > 0 ? `${formatCount(legacy.moved)} by rename` : null,
          legacy.copied > 0 ? `${formatCount(legacy.copied)} by copy` : null,
          legacy.droppedIdentical > 0
            ? `${formatCount(legacy.droppedIdentical)} already there (the legacy copy goes)`
            : null,
          legacy.setAside > 0 ? `${formatCount(legacy.setAside)} set aside for undo` : null,
        ].filter(Boolean);
        const files = `${countOf(legacy.moves.length, 'file')} (${formatBytes(legacy.bytes)})`;
        const how = parts.length > 0 ? `: ${parts.join(', ')}` : '';
        return legacy.dryRun
          ? {
              title: 'Dry run done: nothing was changed',
              detail: `The migration would move ${files}${how}.`,
            }
          : {
              title: 'Migrated',
              detail: `${files} moved into local_data/${how}.${legacy.backupId ? ` A backup came first: ${legacy.backupId}.` : ''} It can be undone.${also}`,
            };
      }
      const database = read(MigrationRunResultSchema, result);
      if (database) {
        return {
          title: 'Migrations applied',
          detail:
            database.applied.length === 0
              ? 'Nothing was pending.'
              : `${database.applied.join(', ')}, after the backup ${database.backup ?? ''}.`,
        };
      }
      const schema = read(SchemaMigrationReportSchema, result);
      if (schema) {
        return {
          title: 'Schema migrated',
          detail:
            schema.applied.length === 0
              ? 'Nothing was pending.'
              : `assistant.db went from version ${schema.from} to ${schema.to} (${countOf(schema.applied.length, 'schema step')}).${schema.backupId ? ` Backup first: ${schema.backupId}.` : ''}`,
        };
      }
      break;
    }
    case 'restore': {
      const report = read(RestoreReportSchema, result);
      if (report) {
        return {
          title: report.undo ? 'The restore was undone' : 'Restored',
          detail: describeRestoreCounts(reportCounts(report.totals)),
        };
      }
      const swapped = read(SwapRestoreResultSchema, result);
      if (swapped) {
        return {
          title: 'Database restored by swap',
          detail: `${swapped.database} from ${swapped.backup}; it took no connections for ${swapped.unavailableMs} ms.${swapped.undoDatabase ? ` The database as it was is kept as ${swapped.undoDatabase}.` : ''}`,
        };
      }
      const exported = read(RestoreExportResultSchema, result);
      if (exported) {
        return {
          title: 'Exported',
          detail: `${countOf(exported.files, 'file')} (${formatBytes(exported.bytes)}) written to ${exported.target}, every one checked.`,
        };
      }
      break;
    }
    case 'archival': {
      const report = read(ArchivalReportSchema, result);
      if (!report) break;
      // An analytics folder (seed 004): the rows go to the seed's monthly tables and the cold
      // tier's dumps, and the rows that stay are anonymised.
      if (report.analytics) {
        const verb = report.dryRun ? 'would be' : 'were';
        return {
          title: report.dryRun ? 'Dry run done: nothing was changed' : 'Archived',
          detail: `${countOf(report.rowsMoved, 'row')} of whole months ${report.dryRun ? 'would move' : 'moved'} out of the hot tier into the monthly tables and the archive; ${countOf(report.analytics.rowsAnonymised, 'row')} that stay ${verb} anonymised.`,
        };
      }
      return report.dryRun
        ? {
            title: 'Dry run done: nothing was changed',
            detail: `${countOf(report.rowsMoved, 'row')} would move out of the hot tier, freeing ${formatBytes(report.bytesFreed)}.`,
          }
        : {
            title: 'Archived',
            detail: `${countOf(report.rowsMoved, 'row')} moved out of the hot tier; ${formatBytes(report.bytesFreed)} freed.`,
          };
    }
    case 'scrub': {
      const report = read(ScrubReportSchema, result);
      if (!report) break;
      return {
        title: report.dryRun ? 'Dry run done: nothing was changed' : 'Scrubbed',
        detail: `${countOf(report.rows, 'row')}: ${countOf(report.ipsHashed, 'IP address')} hashed, ${countOf(report.emailsRedacted, 'e-mail address')} and ${countOf(report.phonesRedacted, 'phone number')} redacted.`,
      };
    }
    case 'records-export':
    case 'records-import': {
      const report = read(RecordTransferReportSchema, result);
      if (!report) break;
      return {
        title: job.kind === 'records-export' ? 'Exported' : 'Imported',
        detail: `${countOf(report.records, 'record')} (${formatBytes(report.bytes)}) ${job.kind === 'records-export' ? 'to' : 'from'} ${report.path}.`,
      };
    }
    default:
      break;
  }
  return { title: 'Done', detail: null };
}

/** What to do about a failure, by its code, when the message alone does not say. */
const adviceByCode: Partial<Record<string, string>> = {
  DATA_LOCKED: 'Another job is changing the data folder. Try again when it has finished.',
  BACKUP_RUNNING: 'Wait for the running backup to end, or cancel it, then try again.',
  NO_DESTINATION: 'Choose a backup folder in Settings, then try again.',
  DESTINATION_UNAVAILABLE: 'Connect the drive or choose another backup folder in Settings.',
  NO_SPACE: 'Free some space there, or choose another backup folder in Settings.',
  LEGACY_CONFLICT_UNRESOLVED:
    'Choose what happens to each conflicting file in the table below (or pick a rule for all), then run it again.',
  RESTORE_ASSISTANT_RUNNING: 'Stop the assistant, then try again.',
  INTERNAL: 'Try again; if it fails the same way, the message above is what Tend knows.',
};

/** How a finished job ended; null while it still runs. */
export function describeOutcome(job: JobRecord): JobOutcome | null {
  if (!isFinished(job.state)) return null;
  switch (job.state) {
    case 'succeeded': {
      const { title, detail } = successDetail(job);
      return { tone: 'ok', title, detail, advice: null };
    }
    case 'cancelled':
      return {
        tone: 'warning',
        title: 'Cancelled',
        detail: 'It stopped before it changed anything it could not finish.',
        advice: null,
      };
    case 'interrupted':
      return {
        tone: 'bad',
        title: 'Interrupted',
        detail: job.error?.message ?? 'Tend stopped while this job was running.',
        advice: 'Start it again; anything it left half-done was put back when Tend started.',
      };
    default: {
      const code = job.error?.code ?? 'INTERNAL';
      return {
        tone: 'bad',
        title: 'Failed',
        detail: job.error?.message ?? 'It ended without saying why.',
        advice: adviceByCode[code] ?? null,
      };
    }
  }
}
