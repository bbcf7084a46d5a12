/**
 * The `json-store` store kind: JSON files an app writes atomically (seed 002's
 * `api_storage/entities.json` and `chat_sessions.json`, seed 001's `memories/*.json`).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod';
import { describeZodError } from '../../../../src-shared/errors';
import type { CapturePlan } from '../capture-plan';
import { listFiles, type ListedFile } from '../list-files';
import {
  missingFile,
  storeCheck,
  unreadableFile,
  type StoreCheck,
  type StoreFinding,
} from '../store-finding';
import type { StoreDemoOptions, StoreKind, StoreRunOptions } from '../store-kind';
import { writeJsonStoreDemo, type JsonStoreDemoVariant } from './json-demo';
import { parseJsonFile, recordCount } from './json-parse';

/** Where a JSON store lives. */
export interface JsonStoreLocation {
  readonly dir: string;
  /**
   * The files the app keeps, relative to `dir`; each must be there. Without it, every `*.json`
   * under `dir` (and its subfolders) is a store file and none is required.
   */
  readonly files?: ReadonlyArray<string>;
  /** The shape every file must have, when the app's format is known. */
  readonly schema?: z.ZodType;
}

/** What a JSON store check read. */
export interface JsonStoreFacts {
  readonly files: number;
  readonly bytes: number;
  /** Records in the files that parse (array items, object keys). */
  readonly records: number;
}

const LISTED_ISSUES = 3;

async function storeFiles(location: JsonStoreLocation): Promise<ListedFile[]> {
  if (!location.files) {
    return (await listFiles(location.dir)).filter((file) => file.path.endsWith('.json'));
  }
  const out: ListedFile[] = [];
  for (const name of location.files) {
    try {
      const stat = await fs.stat(path.join(location.dir, name));
      out.push({ path: name, bytes: stat.size, mtimeMs: stat.mtimeMs });
    } catch {
      out.push({ path: name, bytes: -1, mtimeMs: 0 });
    }
  }
  return out;
}

/** Checks one store file: it parses (a partial file is corruption) and has the shape. */
export async function checkJsonFile(
  file: string,
  label: string,
  schema?: z.ZodType,
): Promise<{ finding: StoreFinding | null; records: number }> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'an I/O error';
    if (code === 'ENOENT') return { finding: missingFile(label, 'A JSON store file'), records: 0 };
    return { finding: unreadableFile(label, code), records: 0 };
  }
  const parsed = parseJsonFile(text);
  if (!parsed.ok) {
    return {
      records: 0,
      finding: parsed.truncated
        ? {
            code: 'JSON_TRUNCATED',
            severity: 'problem',
            path: label,
            message: `${label} ends too early (${Buffer.byteLength(text)} bytes): the app writes it whole, so its end was lost.`,
            action: `Restore ${label} from a backup; until then the app may fail to start or start empty.`,
          }
        : {
            code: 'JSON_INVALID',
            severity: 'problem',
            path: label,
            message: `${label} is not valid JSON: ${parsed.detail}.`,
            action: `Restore ${label} from a backup, or repair it by hand if you know what was changed.`,
          },
    };
  }
  if (schema) {
    const shaped = schema.safeParse(parsed.value);
    if (!shaped.success) {
      const { issues } = describeZodError(shaped.error);
      const listed = issues
        .slice(0, LISTED_ISSUES)
        .map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message))
        .join('; ');
      return {
        records: recordCount(parsed.value),
        finding: {
          code: 'JSON_SHAPE',
          severity: 'problem',
          path: label,
          message: `${label} parses but does not have the app's format (${listed}).`,
          action: `Restore ${label} from a backup made before it changed.`,
        },
      };
    }
  }
  return { finding: null, records: recordCount(parsed.value) };
}

/** Validates every file of a JSON store. */
export async function validateJsonStore(
  location: JsonStoreLocation,
  options: StoreRunOptions = {},
): Promise<StoreCheck<JsonStoreFacts>> {
  const files = await storeFiles(location);
  const findings: StoreFinding[] = [];
  let bytes = 0;
  let records = 0;
  let done = 0;
  const total = files.reduce((sum, file) => sum + Math.max(0, file.bytes), 0);
  for (const file of files) {
    options.signal?.throwIfAborted();
    const result = await checkJsonFile(
      path.join(location.dir, ...file.path.split('/')),
      file.path,
      location.schema,
    );
    if (result.finding) findings.push(result.finding);
    records += result.records;
    bytes += Math.max(0, file.bytes);
    done++;
    options.onProgress?.({
      bytesDone: bytes,
      bytesTotal: total,
      filesDone: done,
      filesTotal: files.length,
      currentPath: file.path,
    });
  }
  return storeCheck({ files: files.filter((f) => f.bytes >= 0).length, bytes, records }, findings);
}

/** The capture plan of a JSON store: each file copied whole. */
export async function planJsonStoreCapture(location: JsonStoreLocation): Promise<CapturePlan> {
  const files = (await storeFiles(location)).filter((file) => file.bytes >= 0);
  return {
    base: location.dir,
    items: files.map((file) => ({ path: file.path, bytes: file.bytes, method: 'copy' as const })),
    consistency:
      'Each file is replaced whole by its app (temp file, rename), so a copy holds one whole version of it; a copy that sees the file replaced midway is made again.',
    needsAppStopped: false,
  };
}

/** What the JSON store demo writes. */
export interface JsonStoreDemo extends StoreDemoOptions {
  readonly variant: JsonStoreDemoVariant;
}

/** JSON files written atomically by their app. */
export const jsonStore: StoreKind<JsonStoreLocation, JsonStoreFacts, JsonStoreDemo> = {
  kind: 'json-store',
  title: 'JSON store',
  description:
    'Records kept as JSON files that the app rewrites whole (temp file, rename). Every file must parse: a partial file is corruption.',
  origin: { kind: 'source' },
  planCapture: planJsonStoreCapture,
  validate: validateJsonStore,
  writeDemo: async (location, demo) => writeJsonStoreDemo(location.dir, demo.variant, demo.seed),
};
