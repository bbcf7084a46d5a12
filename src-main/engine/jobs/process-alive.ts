import os from 'node:os';

/** Whether a process with this id runs on this machine (signal 0 probes without sending; EPERM: it runs, as another user). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The process a journal, job or lock note names as its owner. */
export interface ProcessOwner {
  readonly host: string;
  readonly pid: number;
}

/** How `ownerAlive` reads a note. */
export interface OwnerAliveOptions {
  /**
   * What a note naming this very process means: `'alive'` (a job this process runs) or
   * `'gone'` (a journal an earlier process left whose pid this one was given again). Default
   * `'gone'`.
   */
  readonly thisProcess?: 'alive' | 'gone';
  /** The machine's name; `os.hostname()` unless a test says otherwise. */
  readonly hostname?: string;
  /** The pid probe; `processAlive` unless a test says otherwise. */
  readonly alive?: (pid: number) => boolean;
}

/**
 * Whether the owner a note names may still run: another machine's process cannot be asked, so
 * it counts as alive (its work is never taken over); on this machine the pid is probed.
 */
export function ownerAlive(owner: ProcessOwner, options: OwnerAliveOptions = {}): boolean {
  if (owner.host !== (options.hostname ?? os.hostname())) return true;
  if (owner.pid === process.pid) return (options.thisProcess ?? 'gone') === 'alive';
  return (options.alive ?? processAlive)(owner.pid);
}
