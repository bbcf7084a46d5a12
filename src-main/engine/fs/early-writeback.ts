/**
 * Starts the disk writing a batch's bytes back while the batch is still being written (a
 * restore's staging, an export), so the one sync at its end (`syncBatch`) finds little left.
 *
 * Note: measured on `tend restore export` of the medium demo (270 MiB), the closing syncfs
 * took 0.4 s of a 2.3 s export on a quiet machine, and seconds on a busy one: every byte
 * waited there, after the last file. tar does not sync at all; Tend's staging must be durable
 * before the swap renames it into the data folder, so the sync stays, and this only moves
 * its work earlier: every `everyBytes` written, one background `sync --file-system` (never two
 * at once), while the next files are unpacked.
 *
 * The syncs are asked of one small shell started with the batch (`SyncHelper`), not of a new
 * process each: starting a process forks Node, and after each fork every page the threads
 * write again is copied first. Measured on the export of the 20,000-file bench tree (6 syncs),
 * the decompressing thread alone took 30,000-40,000 page faults more than with no background
 * sync, and the main thread 40-60 ms in `spawn`.
 */
import childProcess, { type ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';

/** Bytes written between two background syncs. */
export const WRITEBACK_EVERY_BYTES = 32 * 1024 * 1024;

/** The helper's script: one `sync --file-system` of `$0` per line read, `0` or `1` per sync. */
const HELPER_SCRIPT =
  'while read -r _; do if sync --file-system -- "$0"; then echo 0; else echo 1; fi; done';

/**
 * One `sh` that runs `sync --file-system` of a folder's filesystem on request, started once
 * (Linux only; elsewhere every sync says false). It holds the process open only while a sync
 * is under way, and ends when closed or when the process does.
 */
export class SyncHelper {
  private child: ChildProcess | null = null;
  private readonly waiting: Array<(ok: boolean) => void> = [];
  private output = '';

  constructor(anchor: string) {
    if (process.platform !== 'linux') return;
    const child = childProcess.spawn('sh', ['-c', HELPER_SCRIPT, anchor], {
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    this.child = child;
    child.stdout!.setEncoding('latin1');
    child.stdout!.on('data', (text: string) => this.answered(text));
    child.stdin!.on('error', () => this.stopped());
    child.on('error', () => this.stopped());
    child.on('exit', () => this.stopped());
    this.hold(false);
  }

  /** The helper's process id, while it runs. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Syncs the filesystem: true once done, false where it could not be (the caller decides). */
  sync(): Promise<boolean> {
    const child = this.child;
    if (!child) return Promise.resolve(false);
    this.hold(true);
    return new Promise<boolean>((resolve) => {
      this.waiting.push(resolve);
      child.stdin!.write('\n');
    });
  }

  /** Ends the helper once the syncs asked for are done; later syncs say false. */
  close(): void {
    const child = this.child;
    this.child = null;
    child?.stdin!.end();
  }

  private answered(text: string): void {
    this.output += text;
    let end: number;
    while ((end = this.output.indexOf('\n')) !== -1) {
      const line = this.output.slice(0, end);
      this.output = this.output.slice(end + 1);
      this.waiting.shift()?.(line === '0');
    }
    if (this.waiting.length === 0) this.hold(false);
  }

  private stopped(): void {
    if (this.child) this.hold(false);
    this.child = null;
    for (const resolve of this.waiting.splice(0)) resolve(false);
  }

  /** Keeps the process alive for the helper only while a sync is asked for. */
  private hold(busy: boolean): void {
    const child = this.child;
    if (!child) return;
    const handles = [child, child.stdin as Socket, child.stdout as Socket];
    for (const handle of handles) {
      if (busy) handle.ref();
      else handle.unref();
    }
  }
}

/** Background syncs of a batch's filesystem while it is written; see the file comment. */
export class EarlyWriteback {
  private pending = 0;
  private inFlight: Promise<unknown> | null = null;
  private readonly helper: SyncHelper | null;
  private readonly sync: (anchor: string) => Promise<unknown>;
  /** Background syncs started so far. */
  started = 0;

  /** `sync` replaces the helper (tests). */
  constructor(
    private readonly anchor: string,
    private readonly everyBytes = WRITEBACK_EVERY_BYTES,
    sync?: (anchor: string) => Promise<unknown>,
  ) {
    this.helper = sync ? null : new SyncHelper(anchor);
    this.sync = sync ?? (() => this.helper!.sync());
  }

  /** Counts bytes just written; starts a background sync when enough have piled up. */
  wrote(bytes: number): void {
    this.pending += bytes;
    if (this.pending < this.everyBytes || this.inFlight) return;
    this.pending = 0;
    this.started++;
    this.inFlight = this.sync(this.anchor)
      .catch(() => undefined)
      .finally(() => {
        this.inFlight = null;
      });
  }

  /** Waits for the background sync under way, if any (the closing sync comes after it). */
  async settle(): Promise<void> {
    await this.inFlight;
  }

  /** Ends the helper: no background sync after this. */
  close(): void {
    this.helper?.close();
  }
}
