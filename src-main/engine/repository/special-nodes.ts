import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { posixPermissions } from './go-file-mode';
import type { TreeNode } from './tree-node';

/**
 * FIFOs, sockets and device nodes on restore (restic internal/restic/node.go, CreateAt): a FIFO
 * is made with `mkfifo`, a device node with `mknod` when running as root (only root may), and
 * a socket is not made at all, as restic does not: a socket is created by the program that
 * listens on it. Node has no mkfifo or mknod of its own, so coreutils' commands make them.
 */

const run = promisify(execFile);

/** Linux's major and minor numbers of a device's st_rdev (glibc gnu_dev_major / gnu_dev_minor). */
export function deviceNumbers(rdev: bigint): { major: bigint; minor: bigint } {
  const major = ((rdev >> 8n) & 0xfffn) | ((rdev >> 32n) & ~0xfffn);
  const minor = (rdev & 0xffn) | ((rdev >> 12n) & ~0xffn);
  return { major, minor };
}

/** Makes a special node at `file`; resolves with why not, when it was not made. */
export async function createSpecialNode(file: string, node: TreeNode): Promise<string | null> {
  const mode = (posixPermissions(node.mode) & 0o7777).toString(8);
  try {
    switch (node.type) {
      case 'fifo':
        await run('mkfifo', ['-m', mode, file]);
        return null;
      case 'dev':
      case 'chardev': {
        if (process.getuid?.() !== 0) return `a device node is made only by root`;
        const { major, minor } = deviceNumbers(node.device ?? 0n);
        const kind = node.type === 'dev' ? 'b' : 'c';
        await run('mknod', ['-m', mode, file, kind, String(major), String(minor)]);
        return null;
      }
      case 'socket':
        return 'a socket is made by the program that listens on it (restic does not restore sockets either)';
      default:
        return `a ${node.type} is not a special node`;
    }
  } catch (error) {
    return `it could not be made (${(error as Error).message.split('\n')[0]})`;
  }
}
