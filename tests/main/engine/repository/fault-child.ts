// Run by repository-faults.test.ts in a child process that the test kills with SIGKILL:
// `node --import tsx fault-child.ts backup|prune <repo> [root]`. Every storage operation is
// announced on stdout first, so the parent can kill it at a chosen step.
import { LocalBackend } from '../../../../src-main/engine/repository/local-backend';
import type { Backend, FileHandle } from '../../../../src-main/engine/repository/backend';
import { Repository } from '../../../../src-main/engine/repository/repository';
import { backupSnapshot } from '../../../../src-main/engine/repository/snapshot-backup';
import { pruneRepository } from '../../../../src-main/engine/repository/repository-prune';

const [mode, repoDir, root] = process.argv.slice(2);
// Not imported from the fixtures: they load vitest, which only runs inside the test runner.
const PASSWORD = process.env.REPOSITORY_PASSWORD!;

function announced(inner: Backend): Backend {
  const say = (what: string, handle: FileHandle) =>
    process.stdout.write(`${what} ${handle.type}\n`);
  return {
    location: inner.location,
    lockSettleMs: inner.lockSettleMs,
    create: () => inner.create(),
    list: (type) => inner.list(type),
    stat: (handle) => inner.stat(handle),
    read: (handle, range) => inner.read(handle, range),
    write: async (handle, data) => {
      say('write', handle);
      await inner.write(handle, data);
    },
    remove: async (handle) => {
      say('remove', handle);
      await inner.remove(handle);
    },
    freeBytes: () => inner.freeBytes(),
    writeScratch: (name, data) => inner.writeScratch(name, data),
    readScratch: (name) => inner.readScratch(name),
    removeScratch: (name) => inner.removeScratch(name),
    close: () => inner.close(),
  };
}

const repository = await Repository.open(announced(new LocalBackend(repoDir!)), PASSWORD);
if (mode === 'backup') {
  await backupSnapshot(repository, { root: root!, packSize: 64 * 1024 });
} else {
  await pruneRepository(repository, { maxUnusedShare: 0, packSize: 64 * 1024 });
}
process.stdout.write('done\n');
