import fs from 'node:fs';
import type Database from 'better-sqlite3';
import { stringify } from 'csv-stringify/sync';
import type { z } from 'zod';
import { TendFailure } from '../../../src-shared/errors';
import type {
  RecordFormat,
  RecordKind,
  RecordTransferReport,
} from '../../../src-shared/models/maintenance';
import type { JobContext } from '../jobs/job-runner';
import { checkRecord, readRecords } from './record-reading';
import { storedInteractionsAt, takeStored } from './stored-interactions';
import {
  ChatCsvRowSchema,
  ChatSessionRecordSchema,
  CollectionRecordSchema,
  csvColumns,
  InteractionRecordSchema,
} from './record-schemas';

const BATCH = 2_000;

function* exportRows(db: Database.Database, kind: RecordKind, format: RecordFormat) {
  switch (kind) {
    case 'collections':
      yield* db
        .prepare(
          'SELECT id, name, dimension, space, m, ef_construction, ef_search, created_at FROM collections ORDER BY id',
        )
        .iterate() as Iterable<Record<string, unknown>>;
      return;
    case 'interactions':
      yield* db
        .prepare(
          `SELECT id, session_id, timestamp, user_role, query, query_type, response_time_ms,
             response_length, success, user_rating, ip, created_at, scrubbed_at
           FROM interactions ORDER BY id`,
        )
        .iterate() as Iterable<Record<string, unknown>>;
      return;
    case 'chat-sessions': {
      const sessions = db
        .prepare(
          'SELECT id, collection_id, title, created_at, updated_at FROM chat_sessions ORDER BY id',
        )
        .all() as Array<Record<string, string | null>>;
      const messages = db.prepare(
        'SELECT role, content, created_at FROM chat_messages WHERE session_id = ? ORDER BY created_at, id',
      );
      for (const session of sessions) {
        const list = messages.all(session.id) as Array<{
          role: string;
          content: string;
          created_at: string;
        }>;
        if (format === 'jsonl') {
          yield { ...session, messages: list };
          continue;
        }
        const base = {
          session_id: session.id,
          collection_id: session.collection_id,
          title: session.title,
          session_created_at: session.created_at,
          session_updated_at: session.updated_at,
        };
        if (list.length === 0) yield { ...base, role: null, content: '', message_created_at: null };
        for (const message of list) {
          yield {
            ...base,
            role: message.role,
            content: message.content,
            message_created_at: message.created_at,
          };
        }
      }
    }
  }
}

/** Moves a finished file into place unless something is already there (PATH_EXISTS). */
async function putInPlaceWithoutReplacing(partial: string, file: string): Promise<void> {
  try {
    await fs.promises.link(partial, file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      throw new TendFailure(
        'PATH_EXISTS',
        `${file} already exists. Choose another name, or say to replace it (tend: --force).`,
      );
    }
    // File systems without hard links (FAT on a USB stick): an exclusive copy instead.
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw error;
    await fs.promises.copyFile(partial, file, fs.constants.COPYFILE_EXCL).catch((copyError) => {
      if ((copyError as NodeJS.ErrnoException).code !== 'EEXIST') throw copyError;
      throw new TendFailure('PATH_EXISTS', `${file} already exists. Choose another name.`);
    });
  }
  await fs.promises.rm(partial, { force: true });
}

/**
 * Exports one kind of record to a JSON Lines or CSV file, written to a temporary name and
 * renamed, so a stopped export never leaves a file that looks whole. The folder must exist
 * (none is made), and a file already there is replaced only with `replace`: without it the
 * export is put in place by a hard link, which fails rather than replace a file that appeared
 * meanwhile.
 */
export async function exportRecords(
  db: Database.Database,
  kind: RecordKind,
  format: RecordFormat,
  file: string,
  context: JobContext | null,
  options: { replace?: boolean } = {},
): Promise<RecordTransferReport> {
  const partial = `${file}.partial`;
  // Made here and now, or the export stops: what is in the way is not Tend's to remove.
  const handle = await fs.promises.open(partial, 'wx').catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error;
    throw new TendFailure(
      'PATH_EXISTS',
      `${partial} is in the way (left by a stopped export?). Remove it, or choose another name.`,
    );
  });
  const out = fs.createWriteStream(partial, { fd: handle });
  const write = (text: string) =>
    new Promise<void>((resolve, reject) =>
      out.write(text, (error) => (error ? reject(error) : resolve())),
    );
  let records = 0;
  const sessions = new Set<string>();
  try {
    const columns = [...csvColumns[kind]];
    if (format === 'csv') await write(stringify([columns]));
    let batch: Array<Record<string, unknown>> = [];
    const flush = async () => {
      if (batch.length === 0) return;
      const text =
        format === 'jsonl'
          ? batch.map((row) => `${JSON.stringify(row)}\n`).join('')
          : stringify(batch.map((row) => columns.map((column) => row[column] ?? null)));
      await write(text);
      // A chat CSV has a row per message; its records are still the sessions.
      if (kind === 'chat-sessions' && format === 'csv') {
        for (const row of batch) sessions.add(String(row.session_id));
        records = sessions.size;
      } else records += batch.length;
      batch = [];
      context?.throwIfCancelled();
      context?.progress({ filesDone: records });
    };
    // Rows are read in batches between writes; better-sqlite3 iterators must not span awaits
    // with other statements, and none run here meanwhile.
    for (const row of exportRows(db, kind, format)) {
      batch.push(row);
      if (batch.length >= BATCH) await flush();
    }
    await flush();
    await new Promise<void>((resolve, reject) =>
      out.end((error?: Error | null) => (error ? reject(error) : resolve())),
    );
    if (options.replace) await fs.promises.rename(partial, file);
    else await putInPlaceWithoutReplacing(partial, file);
  } catch (error) {
    out.destroy();
    await fs.promises.rm(partial, { force: true });
    throw error;
  }
  return {
    kind,
    format,
    path: file,
    records,
    skipped: 0,
    dryRun: false,
    bytes: (await fs.promises.stat(file)).size,
  };
}

/** Where an interactions import looks for rows it already holds, and the scrub's salt. */
export interface ImportContext {
  /** The cold tier's folder (archived rows). */
  readonly coldFolder: string;
  /** The scrub's salt, to know a stored row the scrub has changed since; null: none yet. */
  readonly salt: Buffer | null;
  /** Check and count only. */
  readonly dryRun: boolean;
}

/** The same record? Compared field by field, whatever order the fields came in. */
function sameRecord(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const canonical = (record: Record<string, unknown>) =>
    JSON.stringify(
      Object.keys(record)
        .sort()
        .map((key) => [key, record[key] ?? null]),
    );
  return canonical(a) === canonical(b);
}

/**
 * Imports records from a JSON Lines or CSV file: every record is checked against its schema
 * first, then the new ones are inserted in one transaction. Imports are idempotent: a record
 * the store already holds (a collection or chat session with the same id and content, an
 * interaction with the same content in any tier) is skipped and counted; one with the same id
 * and other content, or a bad record, stops the import with its line number and nothing is
 * written. A dry run counts what is new and writes nothing.
 */
export async function importRecords(
  db: Database.Database,
  kind: RecordKind,
  format: RecordFormat,
  file: string,
  context: JobContext | null,
  options: ImportContext,
): Promise<RecordTransferReport> {
  let bytes: number;
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile()) throw new Error('not a file');
    bytes = stat.size;
  } catch {
    throw new TendFailure('INVALID_INPUT', `There is no file ${file} to import.`);
  }
  const raw = await readRecords(file, kind, format);
  context?.progress({ filesTotal: raw.length, filesDone: 0 });
  let line = 0;
  const guard = <T>(work: () => T): T => {
    try {
      return work();
    } catch (error) {
      if (error instanceof TendFailure) throw error;
      throw new TendFailure(
        'RECORD_INVALID',
        `${file}, line ${line}: the store refused it (${(error as Error).message}). Nothing was imported.`,
        { line },
      );
    }
  };
  const refuse = (at: number, problem: string) =>
    new TendFailure('RECORD_INVALID', `${file}, line ${at}: ${problem}. Nothing was imported.`, {
      line: at,
    });
  let records = 0;
  let skipped = 0;
  const write = (work: () => void) => {
    if (options.dryRun) return;
    db.transaction(work)();
  };
  switch (kind) {
    case 'collections': {
      const rows = raw.map((r) => ({
        line: r.line,
        row: checkRecord(CollectionRecordSchema, r, file, format),
      }));
      const find = db.prepare(
        'SELECT id, name, dimension, space, m, ef_construction, ef_search, created_at FROM collections WHERE id = ?',
      );
      const fresh = rows.filter(({ line: at, row }) => {
        const existing = find.get(row.id) as Record<string, unknown> | undefined;
        if (!existing) return true;
        if (!sameRecord(existing, { ...row })) {
          throw refuse(at, `a collection "${row.id}" exists with other settings`);
        }
        skipped++;
        return false;
      });
      const insert = db.prepare(
        `INSERT INTO collections (id, name, dimension, space, m, ef_construction, ef_search, created_at)
         VALUES (@id, @name, @dimension, @space, @m, @ef_construction, @ef_search, @created_at)`,
      );
      write(() => {
        for (const { line: at, row } of fresh) {
          line = at;
          guard(() => insert.run(row));
        }
      });
      records = fresh.length;
      break;
    }
    case 'interactions': {
      const rows = raw.map((r) => ({
        line: r.line,
        row: checkRecord(InteractionRecordSchema, r, file, format),
      }));
      const stored = await storedInteractionsAt(
        db,
        options.coldFolder,
        new Set(rows.map(({ row }) => row.timestamp)),
      );
      const fresh = rows.filter(({ row }) => {
        const content = { ...row, user_rating: row.user_rating ?? null, ip: row.ip ?? null };
        if (!takeStored(stored, options.salt, content)) return true;
        skipped++;
        return false;
      });
      const insert = db.prepare(
        `INSERT INTO interactions (session_id, timestamp, user_role, query, query_type, response_time_ms,
           response_length, success, user_rating, ip, created_at, scrubbed_at)
         VALUES (@session_id, @timestamp, @user_role, @query, @query_type, @response_time_ms,
           @response_length, @success, @user_rating, @ip, @created_at, @scrubbed_at)`,
      );
      write(() => {
        for (const { line: at, row } of fresh) {
          line = at;
          guard(() => insert.run({ ...row, id: undefined, scrubbed_at: row.scrubbed_at ?? null }));
        }
      });
      records = fresh.length;
      break;
    }
    case 'chat-sessions': {
      const sessions =
        format === 'jsonl'
          ? raw.map((r) => ({
              line: r.line,
              session: checkRecord(ChatSessionRecordSchema, r, file, format),
            }))
          : groupCsvSessions(
              raw.map((r) => ({
                line: r.line,
                row: checkRecord(ChatCsvRowSchema, r, file, format),
              })),
            );
      const findSession = db.prepare(
        'SELECT id, collection_id, title, created_at, updated_at FROM chat_sessions WHERE id = ?',
      );
      const findMessages = db.prepare(
        'SELECT role, content, created_at FROM chat_messages WHERE session_id = ? ORDER BY created_at, id',
      );
      const fresh = sessions.filter(({ line: at, session }) => {
        const existing = findSession.get(session.id) as Record<string, unknown> | undefined;
        if (!existing) return true;
        const { messages, ...fields } = session;
        const stored = findMessages.all(session.id) as Array<Record<string, unknown>>;
        const incoming = [...messages].sort((a, b) => a.created_at.localeCompare(b.created_at));
        const same =
          sameRecord(existing, fields) &&
          stored.length === incoming.length &&
          stored.every((message, at) => sameRecord(message, { ...incoming[at]! }));
        if (!same) throw refuse(at, `a chat session "${session.id}" exists with other content`);
        skipped++;
        return false;
      });
      const insertSession = db.prepare(
        'INSERT INTO chat_sessions (id, collection_id, title, created_at, updated_at) VALUES (?, ?, ?, ?, ?)',
      );
      const insertMessage = db.prepare(
        'INSERT INTO chat_messages (session_id, role, content, created_at) VALUES (?, ?, ?, ?)',
      );
      write(() => {
        for (const { line: at, session } of fresh) {
          line = at;
          guard(() => {
            insertSession.run(
              session.id,
              session.collection_id,
              session.title,
              session.created_at,
              session.updated_at,
            );
            for (const m of session.messages)
              insertMessage.run(session.id, m.role, m.content, m.created_at);
          });
        }
      });
      records = fresh.length;
      break;
    }
  }
  context?.progress({ filesDone: records + skipped });
  return { kind, format, path: file, records, skipped, dryRun: options.dryRun, bytes };
}

type ChatSession = z.output<typeof ChatSessionRecordSchema>;

/** Folds CSV rows (one per message) back into sessions, at the line of each session's first row. */
function groupCsvSessions(
  rows: Array<{ line: number; row: z.output<typeof ChatCsvRowSchema> }>,
): Array<{ line: number; session: ChatSession }> {
  const sessions = new Map<string, { line: number; session: ChatSession }>();
  for (const { line, row } of rows) {
    let entry = sessions.get(row.session_id);
    if (!entry) {
      entry = {
        line,
        session: {
          id: row.session_id,
          collection_id: row.collection_id,
          title: row.title,
          created_at: row.session_created_at,
          updated_at: row.session_updated_at,
          messages: [],
        },
      };
      sessions.set(row.session_id, entry);
    }
    if (row.role !== null) {
      if (row.message_created_at === null) {
        throw new TendFailure(
          'RECORD_INVALID',
          `line ${line}: a message needs message_created_at.`,
          { line },
        );
      }
      entry.session.messages.push({
        role: row.role,
        content: row.content,
        created_at: row.message_created_at,
      });
    }
  }
  return [...sessions.values()];
}
