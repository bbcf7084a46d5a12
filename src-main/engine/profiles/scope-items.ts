/**
 * The ids of a profile's scopes that a backup holds, named as the live folder names them: what
 * the restore wizard offers as "One entity", "One workspace".
 */
import type { RestorePlanScope } from '../../../src-shared/models/restore';
import type { Profile } from './profile';

/**
 * Each scope of `profile` (but the native collection, which the plan lists with its figures)
 * with the ids the backup's paths belong to; a scope the backup holds none of is left out.
 */
export async function scopeItemsOf(
  profile: Profile,
  root: string,
  archivePaths: Iterable<string>,
): Promise<RestorePlanScope[]> {
  const paths = [...archivePaths];
  const out: RestorePlanScope[] = [];
  for (const scope of profile.scopes) {
    if (scope.records && profile.assistantStore) continue;
    const ids = new Set<string>();
    for (const relative of paths) {
      const id = scope.idOf(relative);
      if (id) ids.add(id);
    }
    if (ids.size === 0) continue;
    const names = new Map(
      (await scope.list(root).catch(() => [])).map((item) => [item.id, item.name]),
    );
    out.push({
      id: scope.id,
      singular: scope.singular,
      plural: scope.plural,
      items: [...ids]
        .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
        .map((id) => ({ id, name: names.get(id) ?? id })),
    });
  }
  return out;
}
