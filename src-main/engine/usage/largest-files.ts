import type { LargeFile } from '../../../src-shared/models/usage';

/**
 * The N largest files seen, by apparent size: a binary min-heap, so the scanner keeps a bounded
 * list however many files the root holds, and most files cost one comparison.
 */
export class LargestFiles {
  private readonly heap: LargeFile[] = [];

  constructor(readonly capacity: number) {}

  /** How many files it holds now. */
  get size(): number {
    return this.heap.length;
  }

  /** The smallest size that still gets in (0 while the list is not full). */
  get threshold(): number {
    return this.heap.length < this.capacity ? 0 : (this.heap[0]?.apparentBytes ?? 0);
  }

  /** Offers a file; `make` builds its record only when it gets in. */
  offer(apparentBytes: number, make: () => LargeFile): void {
    if (this.capacity === 0) return;
    if (this.heap.length < this.capacity) {
      this.heap.push(make());
      this.up(this.heap.length - 1);
    } else if (apparentBytes > this.heap[0]!.apparentBytes) {
      this.heap[0] = make();
      this.down(0);
    }
  }

  /** Largest first. */
  sorted(): LargeFile[] {
    return [...this.heap].sort(
      (a, b) => b.apparentBytes - a.apparentBytes || a.path.localeCompare(b.path),
    );
  }

  private up(index: number): void {
    const heap = this.heap;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (heap[parent]!.apparentBytes <= heap[index]!.apparentBytes) return;
      [heap[parent], heap[index]] = [heap[index]!, heap[parent]!];
      index = parent;
    }
  }

  private down(index: number): void {
    const heap = this.heap;
    for (;;) {
      const left = index * 2 + 1;
      const right = left + 1;
      let smallest = index;
      if (left < heap.length && heap[left]!.apparentBytes < heap[smallest]!.apparentBytes)
        smallest = left;
      if (right < heap.length && heap[right]!.apparentBytes < heap[smallest]!.apparentBytes)
        smallest = right;
      if (smallest === index) return;
      [heap[smallest], heap[index]] = [heap[index]!, heap[smallest]!];
      index = smallest;
    }
  }
}
