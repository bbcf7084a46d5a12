import fs from 'node:fs';
import os from 'node:os';

/**
 * User and group names for uids and gids, as restic stores them in nodes (node.go,
 * lookupUsername / lookupGroup): from /etc/passwd and /etc/group where they exist, read once;
 * empty when there is no entry (restic then omits the field).
 */

let users: Map<number, string> | null = null;
let groups: Map<number, string> | null = null;

function readTable(file: string): Map<number, string> {
  const table = new Map<number, string>();
  try {
    for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
      const [name, , id] = line.split(':');
      if (name && id && /^\d+$/.test(id) && !table.has(Number(id))) table.set(Number(id), name);
    }
  } catch {
    // No such file (Windows, some containers): names stay empty.
  }
  return table;
}

/** The user name of a uid, or ''. */
export function userName(uid: number): string {
  users ??= readTable('/etc/passwd');
  const found = users.get(uid);
  if (found !== undefined) return found;
  try {
    const me = os.userInfo();
    return me.uid === uid ? me.username : '';
  } catch {
    return '';
  }
}

/** The group name of a gid, or ''. */
export function groupName(gid: number): string {
  groups ??= readTable('/etc/group');
  return groups.get(gid) ?? '';
}
