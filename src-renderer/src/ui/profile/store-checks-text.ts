/**
 * The Stores panel's sentences, from a store check's findings (the `store-check` job's
 * result): the headline over every instance, and how many findings an instance shows before
 * "and N more".
 */
import type { StoreChecks, StoreInstanceCheck } from '../../../../src-shared/models/profiles';
import { formatBytes, formatCount } from '../../lib/format';

/** An instance lists at most this many findings; the rest are counted. */
export const LISTED_FINDINGS = 8;

/** The bytes an instance's reclaimable findings take (orphans, unfinished downloads). */
export function reclaimableOf(instance: StoreInstanceCheck): number {
  return instance.findings.reduce(
    (sum, finding) => sum + (finding.severity === 'reclaimable' ? (finding.bytes ?? 0) : 0),
    0,
  );
}

/** What an instance's badge says: damaged, space to reclaim, or sound. */
export function instanceStatus(instance: StoreInstanceCheck): 'damaged' | 'reclaimable' | 'sound' {
  if (!instance.ok) return 'damaged';
  return instance.findings.some((finding) => finding.severity === 'reclaimable')
    ? 'reclaimable'
    : 'sound';
}

/**
 * The headline: "All 5 stores are sound." or "1 of 5 stores is damaged; 12 MB is used by
 * nothing (orphans)."
 */
export function checksHeadline(checks: StoreChecks): string {
  const total = checks.instances.length;
  if (total === 0) return 'Nothing of this folder’s stores was found to check.';
  const damaged = checks.instances.filter((instance) => !instance.ok).length;
  const reclaim = checks.instances.reduce((sum, instance) => sum + reclaimableOf(instance), 0);
  const stores = `${formatCount(total)} ${total === 1 ? 'store' : 'stores'}`;
  const first =
    damaged === 0
      ? total === 1
        ? 'The one store is sound'
        : `All ${stores} are sound`
      : `${formatCount(damaged)} of ${stores} ${damaged === 1 ? 'is' : 'are'} damaged`;
  return reclaim > 0
    ? `${first}; ${formatBytes(reclaim)} ${reclaim === 1 ? 'is' : 'are'} used by nothing (orphans).`
    : `${first}.`;
}
