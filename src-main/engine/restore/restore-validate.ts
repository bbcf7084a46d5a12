/**
 * Checks a root after the swap (DESIGN §5, step 5): every restored SQLite file passes
 * `PRAGMA integrity_check`, then each store of the profile the restore touched runs its own
 * validation (native: assistant.db opens with a known schema; each collection's index loads,
 * holds exactly the collection's live chunks and answers a test query), and so does every
 * store derived from one it touched (an index is checked against the database it comes from).
 * A failed check rolls the restore back.
 */
import type { RestoreCheck } from '../../../src-shared/models/restore';
import type { ProfileStore } from '../profiles/profile';
import type { ProfiledRoot } from '../profiles/profiled-root';
import { checkDatabase } from '../stores/sqlite/sqlite-check';
import { isUnder } from './archive-path';
import { integrityCheckName } from './integrity-worker';

/** The check every restore makes: each byte unpacked matched the manifest's SHA-256. */
export const CHECKSUMS_CHECK: RestoreCheck = {
  name: 'checksums',
  ok: true,
  detail: "every restored file matched the SHA-256 in the backup's manifest",
};

/** Runs `PRAGMA integrity_check` read-only; a failure is a failed check, never a throw. */
async function integrity(root: ProfiledRoot, relative: string): Promise<RestoreCheck> {
  const name = integrityCheckName(relative);
  const checked = await checkDatabase(root.resolve(relative), { full: true, label: relative });
  return {
    name,
    ok: checked.ok,
    detail: checked.ok
      ? 'ok'
      : checked.findings
          .slice(0, 3)
          .map((finding) => finding.message)
          .join('; '),
  };
}

/** The ids of the stores a restore touched, and of every store derived from one of them. */
export function storesToValidate(
  stores: ReadonlyArray<ProfileStore>,
  touchedIds: ReadonlySet<string>,
): Set<string> {
  const out = new Set(touchedIds);
  for (let grew = true; grew;) {
    grew = false;
    for (const store of stores) {
      if (!out.has(store.id) && store.origin.kind === 'derived' && out.has(store.origin.from)) {
        out.add(store.id);
        grew = true;
      }
    }
  }
  return out;
}

/**
 * Runs every check; the first that fails is the one a rollback reports.
 *
 * `touched` are the root-relative paths the restore added, replaced or removed. `sqliteFiles`
 * are the SQLite files it put in place; `prechecked` holds integrity checks already run (in a
 * worker) on staged files that the swap renamed into place unchanged; every other restored
 * SQLite file is checked here. A `files` store is not read again: every byte restored was
 * checked against the manifest's SHA-256 as it was unpacked.
 */
export async function validateRoot(
  root: ProfiledRoot,
  touched: ReadonlyArray<string>,
  sqliteFiles: ReadonlyArray<string>,
  prechecked: ReadonlyMap<string, Promise<RestoreCheck>> = new Map(),
): Promise<RestoreCheck[]> {
  // Every byte put in place was checked against the manifest as it was unpacked (and the
  // restore stops at the first that differs): said first, so a restore of plain files shows
  // what was checked too.
  const checks: RestoreCheck[] = touched.length > 0 ? [CHECKSUMS_CHECK] : [];
  for (const relative of [...new Set(sqliteFiles)].sort()) {
    const done = prechecked.get(relative);
    checks.push(done ? await done : await integrity(root, relative));
  }
  if (checks.some((check) => !check.ok)) return checks;

  const { stores } = root.profile;
  const instances = new Map(
    await Promise.all(
      stores.map(async (store) => [store.id, await store.instances(root.path)] as const),
    ),
  );
  const touches = (instancePath: string) =>
    touched.some((relative) => isUnder(instancePath, relative));
  const touchedIds = new Set(
    stores
      .filter((store) => (instances.get(store.id) ?? []).some((i) => touches(i.path)))
      .map((store) => store.id),
  );
  const wanted = storesToValidate(stores, touchedIds);
  const failed = new Set<string>();
  for (const store of stores) {
    if (!wanted.has(store.id) || store.kind === 'files') continue;
    // A store derived from one that failed cannot be judged against it.
    if (store.origin.kind === 'derived' && failed.has(store.origin.from)) continue;
    // A store the restore touched checks what it touched; a derived one checks all it holds.
    const all = !touchedIds.has(store.id);
    for (const instance of instances.get(store.id) ?? []) {
      if (!all && !touches(instance.path)) continue;
      try {
        const check = await instance.validate();
        checks.push({ name: instance.label, ok: check.ok, detail: check.summary });
        if (!check.ok) failed.add(store.id);
      } catch (error) {
        checks.push({ name: instance.label, ok: false, detail: (error as Error).message });
        failed.add(store.id);
      }
    }
  }
  return checks;
}
