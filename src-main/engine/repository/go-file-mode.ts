/**
 * Go's os.FileMode, which restic stores in a node's `mode` (restic internal/restic/node.go,
 * NodeFromFileInfo: masked by ModePerm | ModeType | ModeSetuid | ModeSetgid | ModeSticky).
 * Go keeps the file type in the top bits instead of POSIX's S_IFMT; a directory 0755 is
 * 2147484141 (1<<31 | 0o755), a symlink 0777 is 134218239 (1<<27 | 0o777).
 */

const ModeDir = 2 ** 31;
const ModeSymlink = 2 ** 27;
const ModeDevice = 2 ** 26;
const ModeNamedPipe = 2 ** 25;
const ModeSocket = 2 ** 24;
const ModeSetuid = 2 ** 23;
const ModeSetgid = 2 ** 22;
const ModeCharDevice = 2 ** 21;
const ModeSticky = 2 ** 20;

const S_IFMT = 0o170000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;
const S_IFBLK = 0o060000;
const S_IFCHR = 0o020000;
const S_IFIFO = 0o010000;
const S_IFSOCK = 0o140000;

/** restic's node types. */
export type NodeType = 'file' | 'dir' | 'symlink' | 'dev' | 'chardev' | 'fifo' | 'socket';

/** The node type of a POSIX st_mode. */
export function nodeTypeOfMode(posixMode: number): NodeType {
  switch (posixMode & S_IFMT) {
    case S_IFDIR:
      return 'dir';
    case S_IFLNK:
      return 'symlink';
    case S_IFBLK:
      return 'dev';
    case S_IFCHR:
      return 'chardev';
    case S_IFIFO:
      return 'fifo';
    case S_IFSOCK:
      return 'socket';
    default:
      return 'file';
  }
}

/** Go's FileMode (as restic stores it) for a POSIX st_mode. */
export function goFileMode(posixMode: number): number {
  let mode = posixMode & 0o777;
  if (posixMode & 0o4000) mode += ModeSetuid;
  if (posixMode & 0o2000) mode += ModeSetgid;
  if (posixMode & 0o1000) mode += ModeSticky;
  switch (nodeTypeOfMode(posixMode)) {
    case 'dir':
      return mode + ModeDir;
    case 'symlink':
      return mode + ModeSymlink;
    case 'dev':
      return mode + ModeDevice;
    case 'chardev':
      return mode + ModeDevice + ModeCharDevice;
    case 'fifo':
      return mode + ModeNamedPipe;
    case 'socket':
      return mode + ModeSocket;
    case 'file':
      return mode;
  }
}

/** The permission bits (with setuid, setgid, sticky) of a Go FileMode, for chmod. */
export function posixPermissions(goMode: number): number {
  // Go's FileMode is a uint32; JavaScript's bit operators work on int32, so split it.
  const high = Math.floor(goMode / 2 ** 20);
  let mode = (goMode % 2 ** 12) & 0o777;
  if (high & (ModeSetuid / 2 ** 20)) mode |= 0o4000;
  if (high & (ModeSetgid / 2 ** 20)) mode |= 0o2000;
  if (high & (ModeSticky / 2 ** 20)) mode |= 0o1000;
  return mode;
}
