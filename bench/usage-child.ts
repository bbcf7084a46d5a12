/**
 * One scan in a process of its own, so its peak memory can be measured under GNU time:
 * `node --import tsx bench/usage-child.ts ROOT [--rescan] [--walk=node|find]`. Prints the
 * figures as JSON.
 */
import { nativeCategoryRules as rules } from '../src-main/engine/profiles/native/native-rules';
import { scanUsage } from '../src-main/engine/usage/scanner';
import { sumFigures } from '../src-main/engine/usage/usage-tree';

const [root, ...flags] = process.argv.slice(2);
if (!root) {
  process.stderr.write('usage: usage-child.ts ROOT [--rescan] [--walk=node|find]\n');
  process.exit(2);
}
const walkFlag = flags.find((flag) => flag.startsWith('--walk='))?.slice('--walk='.length);
const walk = walkFlag === 'node' || walkFlag === 'find' ? walkFlag : 'auto';
let peakHeap = 0;
const sample = () => {
  peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
};
const first = await scanUsage(root, { rules, walk, onProgress: sample, progressEveryMs: 100 });
sample();
const rescan = flags.includes('--rescan')
  ? await scanUsage(root, { rules, previous: first, onProgress: sample, progressEveryMs: 100 })
  : null;
sample();
process.stdout.write(
  `${JSON.stringify({
    ...sumFigures(first.root.total),
    folders: first.root.folders + 1,
    firstSeconds: first.durationMs / 1000,
    rescanSeconds: rescan ? rescan.durationMs / 1000 : null,
    peakHeapBytes: peakHeap,
    rssBytes: process.memoryUsage().rss,
  })}\n`,
);
