/**
 * Reads and checks a backup's manifest, from the sidecar beside the archive.
 *
 * Everything here is untrusted input: the manifest is parsed with zod, its paths are checked,
 * its totals must add up, and a format newer than this Tend is refused.
 */
import { isAscii } from 'node:buffer';
import fs from 'node:fs/promises';
import path from 'node:path';
import { TendFailure } from '../../../src-shared/errors';
import {
  BackupManifestSchema,
  BackupSidecarSchema,
  isExactManifestEntry,
  MANIFEST_FORMAT_VERSION,
  ManifestEntrySchema,
  type BackupManifest,
  type BackupSidecar,
  type ManifestEntry,
} from '../../../src-shared/models/backup-manifest';
import { describeZodError } from '../../../src-shared/errors';
import { LoopBudget } from '../fs/loop-budget';
import { checkArchivePath, linkAbove } from './archive-path';

/** A manifest file entry. */
export type ManifestFile = Extract<ManifestEntry, { type: 'file' }>;

/** The sidecar's name for an archive: `x.tar.gz` → `x.manifest.json`. */
export function sidecarPathFor(archivePath: string): string {
  return archivePath.replace(/\.tar\.gz$/, '') + '.manifest.json';
}

/** The archive's name for a sidecar: `x.manifest.json` → `x.tar.gz`. */
export function archivePathFor(sidecarPath: string): string {
  return sidecarPath.replace(/\.manifest\.json$/, '') + '.tar.gz';
}

/** What `checkManifest` gives for a schema: the sidecar or the manifest. */
type Checked<S> = S extends typeof BackupSidecarSchema ? BackupSidecar : BackupManifest;

/** Entries checked between two turns of the event loop (`checkManifestYielding`). */
const SLICE = 2_000;

/**
 * Refuses a manifest that is not Tend's, is newer than this Tend, or does not add up.
 *
 * `raw` is anything JSON.parse gave; what comes back is safe to plan with.
 */
export function checkManifest<S extends typeof BackupManifestSchema | typeof BackupSidecarSchema>(
  raw: unknown,
  schema: S,
  where: string,
): Checked<S> {
  const steps = manifestChecks(raw, schema, where);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * `checkManifest` a slice of entries at a time, letting the event loop run between slices
 * when `budget` is spent: the same checks, the same result and refusals.
 *
 * Note: one pass over a sidecar of 20,000 entries held the loop for 150 ms (issue 13), while
 * the web host or the window waited for an answer.
 */
export async function checkManifestYielding<
  S extends typeof BackupManifestSchema | typeof BackupSidecarSchema,
>(raw: unknown, schema: S, where: string, budget = new LoopBudget()): Promise<Checked<S>> {
  const steps = manifestChecks(raw, schema, where);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    await budget.maybePause();
  }
}

/** The checks of `checkManifest`, pausing (`yield`) after each slice of entries. */
function* manifestChecks<S extends typeof BackupManifestSchema | typeof BackupSidecarSchema>(
  raw: unknown,
  schema: S,
  where: string,
): Generator<void, Checked<S>> {
  const object = raw as { format?: unknown; formatVersion?: unknown; entries?: unknown } | null;
  if (typeof object !== 'object' || object === null || object.format !== 'tend-backup') {
    throw new TendFailure('RESTORE_NOT_TEND_ARCHIVE', `${where} was not written by Tend.`);
  }
  if (typeof object.formatVersion === 'number' && object.formatVersion > MANIFEST_FORMAT_VERSION) {
    throw new TendFailure(
      'RESTORE_FORMAT_NEWER',
      `${where} was written by a newer Tend (backup format ${object.formatVersion}; this Tend reads up to ${MANIFEST_FORMAT_VERSION}). Update Tend to restore it.`,
    );
  }
  // The fields but the entries through the schema, the entries a slice at a time: each one
  // `isExactManifestEntry` takes as it is (the schema's verdict, without its copy), any other
  // through the schema. When anything is wrong, the whole once more, for the refusal `schema`
  // gives (the path of what is wrong).
  let manifest: BackupManifest | null = null;
  if (Array.isArray(object.entries)) {
    // Without zod's compiled fast path: a command reads a sidecar or two, and compiling the
    // head's schemas cost more than reading them without (median 5.8 ms against 3.3, once).
    const head = schema.safeParse({ ...object, entries: [] }, { jitless: true });
    const given: unknown[] = object.entries;
    const entries: ManifestEntry[] = [];
    let valid = head.success;
    for (let at = 0; valid && at < given.length; at += SLICE) {
      const end = Math.min(at + SLICE, given.length);
      for (let index = at; valid && index < end; index++) {
        const entry = given[index];
        if (isExactManifestEntry(entry)) {
          entries.push(entry);
        } else {
          const parsed = ManifestEntrySchema.safeParse(entry);
          if (parsed.success) entries.push(parsed.data);
          else valid = false;
        }
      }
      yield;
    }
    // As the schema's readonly array gives them: frozen.
    if (valid && head.success) manifest = { ...head.data, entries: Object.freeze(entries) };
  }
  if (!manifest) {
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      throw new TendFailure(
        'RESTORE_MANIFEST_MISMATCH',
        `The manifest of ${where} is damaged: ${describeZodError(parsed.error).message}`,
      );
    }
    manifest = parsed.data as BackupManifest;
  }
  const seen = new Set<string>();
  const links = new Set<string>();
  for (const entry of manifest.entries) if (entry.type === 'symlink') links.add(entry.path);
  let files = 0;
  let bytes = 0;
  let inSlice = 0;
  for (const entry of manifest.entries) {
    if (++inSlice === SLICE) {
      inSlice = 0;
      yield;
    }
    checkArchivePath(entry.path);
    // A link is never restored, so nothing may be written through one either.
    const through = linkAbove(entry.path, links);
    if (through) {
      throw new TendFailure(
        'RESTORE_ARCHIVE_UNSAFE',
        `The manifest of ${where} puts ${entry.path} behind the link ${through}.`,
      );
    }
    if (seen.has(entry.path)) {
      throw new TendFailure(
        'RESTORE_MANIFEST_MISMATCH',
        `The manifest of ${where} lists ${entry.path} twice.`,
      );
    }
    seen.add(entry.path);
    if (entry.type === 'file') {
      files++;
      bytes += entry.size;
    }
  }
  if (files !== manifest.totals.files || bytes !== manifest.totals.bytes) {
    throw new TendFailure(
      'RESTORE_MANIFEST_MISMATCH',
      `The manifest of ${where} does not add up: it lists ${files} files of ${bytes} bytes but says ${manifest.totals.files} files of ${manifest.totals.bytes} bytes.`,
    );
  }
  return manifest as Checked<S>;
}

/** Reads and checks the sidecar beside an archive; null when there is none. */
export async function readSidecar(archivePath: string): Promise<BackupSidecar | null> {
  const file = sidecarPathFor(archivePath);
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(jsonTextOf(bytes));
  } catch {
    throw new TendFailure(
      'RESTORE_MANIFEST_MISMATCH',
      `The manifest ${path.basename(file)} is not valid JSON.`,
    );
  }
  await new Promise<void>((resolve) => setImmediate(resolve));
  const sidecar = await checkManifestYielding(raw, BackupSidecarSchema, path.basename(archivePath));
  sidecarBytes.set(sidecar, bytes);
  return sidecar;
}

/** Bytes looked at in one `isAscii` call by `jsonTextOf`. */
const ASCII_BLOCK = 64 * 1024;

/**
 * JSON's UTF-8 bytes as text JSON.parse reads as it reads `bytes.toString('utf8')`: the ASCII
 * bytes as they are, each run of other bytes decoded and written as `\uXXXX` escapes (in a
 * string, where alone JSON allows such characters, an escape is the character; anywhere else
 * both are refused). A run right after a backslash, which the escape would change the meaning
 * of, has the whole decoded as UTF-8 instead.
 *
 * Note: a sidecar holds a few characters beyond ASCII (a store's description, a file's name);
 * one of them made Node decode its 4.6 MB as two-byte text, 11-23 ms at the start of every
 * export of the bench's tree, where this takes 6-10 (and JSON.parse reads one-byte text).
 */
export function jsonTextOf(bytes: Buffer): string {
  if (isAscii(bytes)) return bytes.toString('latin1');
  const parts: string[] = [];
  let from = 0;
  for (let at = 0; at < bytes.length;) {
    const end = Math.min(at + ASCII_BLOCK, bytes.length);
    if (isAscii(bytes.subarray(at, end))) {
      at = end;
      continue;
    }
    while (at < end && bytes[at]! < 0x80) at++;
    if (at === end) continue;
    if (at > 0 && bytes[at - 1] === 0x5c) return bytes.toString('utf8');
    let after = at + 1;
    while (after < bytes.length && bytes[after]! >= 0x80) after++;
    parts.push(bytes.toString('latin1', from, at));
    const decoded = bytes.toString('utf8', at, after);
    let escaped = '';
    for (let index = 0; index < decoded.length; index++) {
      escaped += `\\u${decoded.charCodeAt(index).toString(16).padStart(4, '0')}`;
    }
    parts.push(escaped);
    from = at = after;
  }
  parts.push(bytes.toString('latin1', from));
  return parts.join('');
}

/** The bytes each sidecar `readSidecar` gave was read from, for `sameBytesAsTrusted`. */
const sidecarBytes = new WeakMap<BackupSidecar, Buffer>();

/**
 * The manifest inside an archive, given as its bytes, when they are the bytes of the sidecar
 * `trusted` was read from without its `archive` field, which Tend writes last (a sidecar is
 * the manifest's bytes with `,"archive":{…}` before the closing brace): then it is the trusted
 * manifest, and needs neither parsing nor a check of its own. Null otherwise, and for a
 * sidecar `readSidecar` did not read (then parse it and ask `sameAsTrusted`).
 *
 * Note: on the bench's 4.6 MB manifest, parsing it and comparing it value by value took
 * 25-35 ms after the last file was written; comparing the bytes takes about one.
 */
export function sameBytesAsTrusted(
  bytes: Buffer,
  trusted: BackupManifest | BackupSidecar,
): BackupManifest | null {
  const sidecar = sidecarBytes.get(trusted as BackupSidecar);
  if (!sidecar || !('archive' in trusted)) return null;
  // The sidecar ends `,"archive":{…}}\n`, the manifest inside the archive `}\n`.
  const archiveTail = Buffer.from(`,"archive":${JSON.stringify(trusted.archive)}}\n`);
  const shared = sidecar.length - archiveTail.length;
  if (
    shared <= 0 ||
    bytes.length !== shared + 2 ||
    !sidecar.subarray(shared).equals(archiveTail) ||
    bytes[shared] !== 0x7d ||
    bytes[shared + 1] !== 0x0a ||
    !bytes.subarray(0, shared).equals(sidecar.subarray(0, shared))
  ) {
    return null;
  }
  const manifest: Partial<BackupSidecar> = { ...trusted };
  delete manifest.archive;
  return manifest as BackupManifest;
}

/**
 * The manifest read from inside an archive, when it is the trusted one (the sidecar's, its
 * `archive` field aside) value for value: then it needs no check of its own, the trusted one
 * has had it. Null when it differs in anything, a key's order aside (then check it with
 * `checkManifest` and compare with `canonicalManifest`, for the precise refusal).
 *
 * Note: this spares a second schema pass over every entry and two more for the comparison;
 * on a manifest of 20,000 files those took longer than writing a thousand of the files.
 */
export function sameAsTrusted(
  raw: unknown,
  trusted: BackupManifest | BackupSidecar,
): BackupManifest | null {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return null;
  const manifest: Partial<BackupSidecar> = { ...trusted };
  delete manifest.archive;
  return sameJson(raw, manifest) ? (manifest as BackupManifest) : null;
}

/** Whether two JSON values are equal, objects' key order aside. */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i])) return false;
    return true;
  }
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = Object.keys(left);
  if (keys.length !== Object.keys(right).length) return false;
  for (const key of keys) {
    if (!Object.hasOwn(right, key) || !sameJson(left[key], right[key])) return false;
  }
  return true;
}

/** The manifest without the sidecar's archive field, in the schema's key order, as JSON. */
export function canonicalManifest(manifest: BackupManifest | BackupSidecar): string {
  return JSON.stringify(BackupManifestSchema.parse(manifest));
}
