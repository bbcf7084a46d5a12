import { describe, expect, it } from 'vitest';
import { BackupSidecarSchema } from '../../../../src-shared/models/backup-manifest';
import { LoopBudget } from '../../../../src-main/engine/fs/loop-budget';
import {
  checkManifest,
  checkManifestYielding,
} from '../../../../src-main/engine/restore/backup-manifest-reader';

/** A sidecar of `files` files in 10 folders, as JSON.parse gives it. */
function bigSidecar(files: number): Record<string, unknown> {
  const entries: Array<Record<string, unknown>> = [];
  for (let d = 0; d < 10; d++) entries.push({ type: 'directory', path: `m/${d}`, mtimeMs: 1, mode: 0o755 });
  for (let i = 0; i < files; i++) {
    entries.push({ type: 'file', path: `m/${i % 10}/${i}.json`, size: 3, mtimeMs: 1, mode: 0o644, sha256: 'a'.repeat(64), category: 'irreplaceable', unknownKey: 1 });
  }
  return {
    format: 'tend-backup', formatVersion: 1, tendVersion: '0.1.0', id: 'b1', kind: 'full',
    categories: ['irreplaceable'], createdAt: '2026-11-30T00:00:00.000Z', sourceRoot: '/root',
    host: 'here', assistantSchemaVersion: null, collections: [], entries,
    totals: { files, bytes: 3 * files }, warnings: [], leftOut: [],
    archive: { fileName: 'b1.tar.gz', bytes: 10, sha256: 'e'.repeat(64) },
  };
} // prettier-ignore

/** What a check gives: its value, or the refusal's code and message. */
async function outcome(check: () => unknown): Promise<unknown> {
  try {
    return { value: await check() };
  } catch (error) {
    return { code: (error as { code?: string }).code, message: (error as Error).message };
  }
}

const damaged: ReadonlyArray<[string, (raw: Record<string, unknown>) => void]> = [
  ['a hash that is not one, in a late slice', (raw) => ((raw.entries as Array<Record<string, unknown>>)[4_500]!.sha256 = 'x')],
  ['a field of the head missing', (raw) => delete raw.host],
  ['entries that are not a list', (raw) => (raw.entries = { 0: 1 })],
  ['a path listed twice', (raw) => (raw.entries as unknown[]).push((raw.entries as unknown[])[20])],
  ['totals that do not add up', (raw) => ((raw.totals as Record<string, number>).files = 1)],
  ['a climbing path', (raw) => ((raw.entries as Array<Record<string, unknown>>)[3_000]!.path = 'm/../x')],
  ['a file behind a link', (raw) => (raw.entries as unknown[]).unshift({ type: 'symlink', path: 'm/3', mtimeMs: 1, mode: 0o777, target: '/etc', category: 'irreplaceable' })],
]; // prettier-ignore

describe('checkManifestYielding', () => {
  it('gives what checkManifest gives, letting the event loop run between slices', async () => {
    const raw = bigSidecar(5_000);
    let turns = 0;
    const tick = () => {
      turns++;
      if (!done) setImmediate(tick);
    };
    let done = false;
    setImmediate(tick);
    const sliced = await checkManifestYielding(raw, BackupSidecarSchema, 'b1', new LoopBudget(0));
    done = true;
    expect(sliced).toEqual(checkManifest(raw, BackupSidecarSchema, 'b1'));
    expect(Object.isFrozen(sliced.entries)).toBe(true);
    expect(sliced.entries[10]).not.toHaveProperty('unknownKey');
    // Five slices of schema and five of checks: the loop ran in between.
    expect(turns).toBeGreaterThanOrEqual(5);
  });

  const kept: ReadonlyArray<[string, (raw: Record<string, unknown>) => void]> = [
    ['as Tend writes it', () => undefined],
    ['with a field the schema drops in one entry', (raw) => ((raw.entries as Array<Record<string, unknown>>)[3_000]!.note = 'x')],
    ['with a file of a symlink kind', (raw) => ((raw.entries as Array<Record<string, unknown>>)[3_000]!.type = 'symlink')],
  ]; // prettier-ignore

  it.each(kept)('gives what the schema gives for a sidecar %s', async (_, change) => {
    const raw = bigSidecar(5_000);
    for (const entry of raw.entries as Array<Record<string, unknown>>) delete entry.unknownKey;
    change(raw);
    const parsed = BackupSidecarSchema.safeParse(raw);
    const checked = await outcome(() => checkManifest(raw, BackupSidecarSchema, 'b1'));
    expect(checked).toEqual(
      parsed.success
        ? { value: parsed.data }
        : expect.objectContaining({ code: 'RESTORE_MANIFEST_MISMATCH' }),
    );
  });

  it.each(damaged)('refuses %s as checkManifest does', async (_, damage) => {
    const raw = bigSidecar(5_000);
    damage(raw);
    const sync = await outcome(() => checkManifest(raw, BackupSidecarSchema, 'b1'));
    const sliced = await outcome(() => checkManifestYielding(raw, BackupSidecarSchema, 'b1'));
    expect(sync).toHaveProperty('code');
    expect(sliced).toEqual(sync);
  });
});
