/**
 * How many points an index is allocated for. hnswlib allocates its level-0 table up front and
 * refuses points past it, so an index grows by resizing; a quarter of headroom keeps a run of
 * small imports from resizing (a full copy) every time.
 */
export function indexCapacityFor(count: number): number {
  return Math.max(256, Math.ceil((count * 1.25) / 256) * 256);
}
