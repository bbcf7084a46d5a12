/**
 * Notices saves of a root's settings made by another process (`tend settings set`, another
 * Tend on the same root), so a long-running Tend (the desktop app, `tend serve`) tells its
 * pages (`settings:changed`) and runs the new schedules, instead of both going on with the
 * settings they read at the start.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Settings } from '../../../src-shared/models/settings';
import type { EventBus } from '../events';
import type { SessionService } from '../root-session';
import { readSettings } from './settings-file';

/** How long a burst of file events is let settle before the file is read. */
const SETTLE_MS = 100;

/**
 * Watches `file` (through its folder: a save replaces the file by rename) and calls
 * `onChange` with settings of a revision this engine has not told of yet. The revisions the
 * engine announces itself (its own saves) are heard on the event bus, so they are not
 * announced twice. A folder that cannot be watched leaves the revision check of every save
 * as the guard.
 */
export function watchSettings(
  file: string,
  events: EventBus,
  onChange: (settings: Settings) => void,
): SessionService {
  let known: number | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let closed = false;
  const stopHearing = events.on('settings:changed', (settings) => {
    known = Math.max(known ?? 0, settings.revision);
  });
  void readSettings(file)
    .then((settings) => {
      known ??= settings.revision;
    })
    .catch(() => undefined);

  const check = () => {
    timer = null;
    void readSettings(file)
      .then((settings) => {
        if (closed || (known !== null && settings.revision <= known)) return;
        known = settings.revision;
        onChange(settings);
      })
      // Half-written or broken by hand: Settings says so when it is next read.
      .catch(() => undefined);
  };

  let watcher: fs.FSWatcher | null = null;
  try {
    watcher = fs.watch(path.dirname(file), (_event, name) => {
      if (name !== path.basename(file) || closed) return;
      if (timer) clearTimeout(timer);
      timer = setTimeout(check, SETTLE_MS);
    });
    watcher.on('error', () => watcher?.close());
    // A watch must not keep a command that is done from ending.
    watcher.unref();
  } catch {
    watcher = null;
  }

  return {
    close() {
      closed = true;
      stopHearing();
      if (timer) clearTimeout(timer);
      watcher?.close();
    },
  };
}
