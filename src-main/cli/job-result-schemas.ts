/**
 * The schemas the command line reads job results with, in one module that `job-result.ts`
 * loads only when a command has a result to read: `tend --help` must load no zod.
 */
import { BackupRecordSchema } from '../../src-shared/models/backups';
import {
  DemoResultSchema,
  IndexHealthJobResultSchema,
  jobResultAs,
  PostgresMigrationResultSchema,
  PostgresRestoreResultSchema,
  VerifyJobResultSchema,
} from '../../src-shared/models/job-results';
import {
  ArchivalReportSchema,
  LegacyMigrationReportSchema,
  RecordTransferReportSchema,
  SchemaMigrationReportSchema,
  ScrubReportSchema,
} from '../../src-shared/models/maintenance';
import {
  RestoreExportResultSchema,
  RestoreImportResultSchema,
  RestoreReportSchema,
} from '../../src-shared/models/restore';
import { StoreChecksSchema } from '../../src-shared/models/profiles';
import { CleanResultSchema } from '../../src-shared/models/usage';
import {
  CompactionRecordSchema,
  DocumentDeleteResultSchema,
  ImportResultSchema,
  UpkeepRunSchema,
} from '../../src-shared/models/vectors';

/** Each result the command line reads, by the name of what it is. */
export const resultSchemas = {
  Archival: ArchivalReportSchema,
  BackupRecord: BackupRecordSchema,
  CleanResult: CleanResultSchema,
  Compaction: CompactionRecordSchema,
  Demo: DemoResultSchema,
  DocumentDelete: DocumentDeleteResultSchema,
  IndexHealth: IndexHealthJobResultSchema,
  Import: ImportResultSchema,
  LegacyMigration: LegacyMigrationReportSchema,
  PostgresMigration: PostgresMigrationResultSchema,
  PostgresRestore: PostgresRestoreResultSchema,
  RecordTransfer: RecordTransferReportSchema,
  RestoreExport: RestoreExportResultSchema,
  RestoreImport: RestoreImportResultSchema,
  RestoreReport: RestoreReportSchema,
  SchemaMigration: SchemaMigrationReportSchema,
  Scrub: ScrubReportSchema,
  StoreChecks: StoreChecksSchema,
  Upkeep: UpkeepRunSchema,
  Verify: VerifyJobResultSchema,
} as const;

export { jobResultAs };
