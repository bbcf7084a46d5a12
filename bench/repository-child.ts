/**
 * One repository operation for bench/repository.ts, in its own process so its peak memory is
 * its own: `node --import tsx bench/repository-child.ts <op> <repo> <dir> [path]`, op one of
 * init, backup, restore, restore-file. Prints `{ seconds, cpuSeconds, maxRssBytes, … }` as JSON;
 * seconds (wall) and cpuSeconds (user + system of this process, worker threads included) are the
 * repository's opening and the library call (process start and module loading left out).
 */
import fs from 'node:fs';
import { LocalBackend } from '../src-main/engine/repository/local-backend';
import { Repository } from '../src-main/engine/repository/repository';
import { backupSnapshot } from '../src-main/engine/repository/snapshot-backup';
import { restoreSnapshot } from '../src-main/engine/repository/snapshot-restore';

const PASSWORD = 'bench passphrase';
const KDF = { N: 1024, r: 8, p: 1 };
const [op, repoDir, dir, only] = process.argv.slice(2);

const backend = new LocalBackend(repoDir!);
fs.mkdirSync(`${repoDir}-staging`, { recursive: true });
const started = performance.now();
let detail: Record<string, unknown> = {};
if (op === 'init') {
  await Repository.init(backend, PASSWORD, { kdf: KDF });
} else {
  // Opening (the key's scrypt, at the bench's light cost) counts as part of the call.
  const call = performance.now();
  const cpu = process.cpuUsage();
  const repository = await Repository.open(backend, PASSWORD);
  if (op === 'backup') {
    const result = await backupSnapshot(repository, {
      root: dir!,
      stagingDir: `${repoDir}-staging`,
    });
    detail = { bytesRead: result.bytesRead, bytesStored: result.bytesStored, files: result.files };
  } else {
    const result = await restoreSnapshot(repository, 'latest', {
      target: dir!,
      ...(op === 'restore-file' ? { path: only! } : {}),
    });
    detail = { files: result.files, bytes: result.bytes, packsRead: result.packsRead };
  }
  detail.seconds = (performance.now() - call) / 1000;
  const used = process.cpuUsage(cpu);
  detail.cpuSeconds = (used.user + used.system) / 1e6;
}
/**
 * This process's own peak resident memory. Linux's `maxrss` (process.resourceUsage) keeps, across
 * exec, the resident size of the process it was forked from: a child of the bench's Node, which
 * holds a few hundred MB, reported that parent's figure for every call. `VmHWM` is the peak of
 * this process's own memory alone.
 */
function peakRssBytes(): number {
  const status = fs.existsSync('/proc/self/status')
    ? fs.readFileSync('/proc/self/status', 'utf8')
    : '';
  const peak = /^VmHWM:\s+(\d+) kB$/m.exec(status);
  return (peak ? Number(peak[1]) : process.resourceUsage().maxRSS) * 1024;
}

const seconds = (detail.seconds as number | undefined) ?? (performance.now() - started) / 1000;
process.stdout.write(`${JSON.stringify({ ...detail, seconds, maxRssBytes: peakRssBytes() })}\n`);
