/**
 * Jan's scope: a thread (a conversation). Its files are its folder under threads/; Jan keeps
 * nothing of a thread in a database (stores/layouts/jan.ts).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { ProfileScope, ScopeItem } from '../profile';
import { janPaths as p, THREAD_FILE } from './jan-paths';

/** The threads of a root, named by their title where thread.json says it. */
async function listThreads(root: string): Promise<ReadonlyArray<ScopeItem>> {
  const entries = await fs
    .readdir(path.join(root, p.threads), { withFileTypes: true })
    .catch(() => []);
  const items: ScopeItem[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    let name = entry.name;
    try {
      const thread = JSON.parse(
        await fs.readFile(path.join(root, p.threads, entry.name, THREAD_FILE), 'utf8'),
      ) as { title?: unknown };
      if (typeof thread.title === 'string' && thread.title.trim() !== '') name = thread.title;
    } catch {
      // A thread.json that cannot be read still leaves its folder to restore.
    }
    items.push({ id: entry.name, name });
  }
  return items.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The thread a root-relative path belongs to: `threads/<id>/…`. */
export function threadOf(relative: string): string | null {
  if (!relative.startsWith(`${p.threads}/`)) return null;
  return relative.slice(p.threads.length + 1).split('/')[0] || null;
}

/** A thread: its folder. */
export const threadScope: ProfileScope = {
  id: 'thread',
  singular: 'thread',
  plural: 'threads',
  description: 'A conversation: its folder under threads/ (thread.json and messages.jsonl).',
  list: listThreads,
  pathsOf: (id) => [`${p.threads}/${id}`],
  idOf: threadOf,
};
