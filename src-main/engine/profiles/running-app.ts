/**
 * Whether an app is running, by the names of its processes: a restore under a running app
 * would be overwritten by what it still holds in memory, or tear what it is writing.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** The names of the processes running now, as the system lists them; empty when it cannot. */
export function processNames(platform: NodeJS.Platform = process.platform): string[] {
  try {
    if (platform === 'linux') {
      // /proc/<pid>/comm: the name without arguments, read without starting a process.
      const names: string[] = [];
      for (const entry of fs.readdirSync('/proc')) {
        if (!/^\d+$/.test(entry)) continue;
        try {
          names.push(fs.readFileSync(path.join('/proc', entry, 'comm'), 'utf8').trim());
        } catch {
          // Gone since the listing.
        }
      }
      return names;
    }
    if (platform === 'win32') {
      const csv = execFileSync('tasklist', ['/FO', 'CSV', '/NH'], { encoding: 'utf8' });
      return csv
        .split(/\r?\n/)
        .map((line) => /^"([^"]+)"/.exec(line)?.[1] ?? '')
        .filter(Boolean);
    }
    const out = execFileSync('ps', ['-A', '-o', 'comm='], { encoding: 'utf8' });
    return out
      .split('\n')
      .map((line) => path.basename(line.trim()))
      .filter(Boolean);
  } catch {
    return [];
  }
}

/**
 * Which of `wanted` run now (compared without case, and without `.exe`). Asks the system only
 * when there is something to look for.
 */
export function runningProcesses(
  wanted: ReadonlyArray<string>,
  list: () => ReadonlyArray<string> = processNames,
): string[] {
  if (wanted.length === 0) return [];
  const normal = (name: string) => name.toLowerCase().replace(/\.exe$/, '');
  const running = new Set(list().map(normal));
  return wanted.filter((name) => running.has(normal(name)));
}
