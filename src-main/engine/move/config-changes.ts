/**
 * What a move changes in how the app finds its data, from the profile's `dataLocation`:
 * an environment variable is shown as the line to put in the compose file or service unit
 * (Tend cannot edit those safely); a key of a settings file outside the folder is written by
 * Tend, durably, with the old value kept for `move back`; an app with no setting gets a link
 * at the old path; and Tend's own record of the folder always follows.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ConfigChange } from '../../../src-shared/models/move';
import type { DataLocationInfo } from '../../../src-shared/models/profiles';
import { writeFileDurably } from '../fs/durable';

/** A settings file's place: inside the folder (moves with it) or an absolute one. */
export function settingsFilePlace(
  file: string,
  home: string = os.homedir(),
): { inside: true } | { inside: false; absolute: string } {
  if (file.startsWith('~/')) return { inside: false, absolute: path.join(home, file.slice(2)) };
  if (path.isAbsolute(file)) return { inside: false, absolute: file };
  return { inside: true };
}

/** The value at a dotted key of parsed JSON, when it is a string. */
export function readKey(json: unknown, key: string): string | null {
  let at: unknown = json;
  for (const part of key.split('.')) {
    if (at === null || typeof at !== 'object' || !Object.hasOwn(at, part)) return null;
    at = (at as Record<string, unknown>)[part];
  }
  return typeof at === 'string' ? at : null;
}

/** A copy of parsed JSON with the string at a dotted key set (the key must exist). */
export function writeKey(json: unknown, key: string, value: string): unknown {
  const parts = key.split('.');
  const copy = structuredClone(json) as Record<string, unknown>;
  let at = copy;
  for (const part of parts.slice(0, -1)) at = at[part] as Record<string, unknown>;
  at[parts[parts.length - 1]!] = value;
  return copy;
}

/** The changes without reading any file (settings files are looked at by `readSettingsChanges`). */
export function plannedChanges(
  locations: ReadonlyArray<DataLocationInfo>,
  from: string,
  to: string,
  appName: string,
): ConfigChange[] {
  const changes: ConfigChange[] = [];
  for (const location of locations) {
    switch (location.kind) {
      case 'env':
        changes.push({
          kind: 'env',
          variable: location.variable,
          line: `${location.variable}=${to}`,
          note: `Where ${appName} is started with ${location.variable} set (a compose file's environment:, a service unit's Environment=), change it to this before starting it again. ${location.note}`,
        });
        break;
      case 'settings-file': {
        const place = settingsFilePlace(location.file);
        changes.push({
          kind: 'settings-file',
          file: place.inside ? location.file : place.absolute,
          key: location.key,
          from: null,
          to: null,
          applies: false,
          note: place.inside
            ? `${location.file} is inside the data folder and moves with it. ${location.note}`
            : location.note,
        });
        break;
      }
      case 'none':
        changes.push({
          kind: 'link',
          at: from,
          to,
          note: `${appName} has no setting for its folder: a link left at ${from} points it at ${to}. ${location.note}`,
        });
        break;
    }
  }
  changes.push({
    kind: 'tend',
    from,
    to,
    note: "Tend's own record of the data folder: its history, schedules and backups stay attached.",
  });
  return changes;
}

/**
 * Fills in the settings-file changes Tend will write: a JSON file outside the folder whose key
 * holds the old path (the folder, or a path under it) gets the new one. Any other file or key
 * is left alone and said so. Reads only.
 */
export async function readSettingsChanges(
  changes: ReadonlyArray<ConfigChange>,
  from: string,
  to: string,
): Promise<ConfigChange[]> {
  const out: ConfigChange[] = [];
  for (const change of changes) {
    if (change.kind !== 'settings-file' || !path.isAbsolute(change.file)) {
      out.push(change);
      continue;
    }
    const text = await fs.readFile(change.file, 'utf8').catch(() => null);
    let value: string | null = null;
    if (text !== null) {
      try {
        value = readKey(JSON.parse(text), change.key);
      } catch {
        value = null;
      }
    }
    const moved = value === null ? null : movedPath(value, from, to);
    out.push(
      moved === null
        ? {
            ...change,
            from: value,
            note: `${change.file} ${text === null ? 'is not there' : `has no ${change.key} naming ${from}`}: nothing to change there. ${change.note}`,
          }
        : { ...change, from: value, to: moved, applies: true },
    );
  }
  return out;
}

/** `value` with `from` at its start replaced by `to`, or null when it does not name `from`. */
export function movedPath(value: string, from: string, to: string): string | null {
  const clean = value.length > 1 ? value.replace(/[\\/]+$/, '') : value;
  if (clean === from) return to;
  if (clean.startsWith(`${from}${path.sep}`)) return `${to}${clean.slice(from.length)}`;
  return null;
}

/**
 * Writes one settings change (durably: temp, fsync, rename, fsync the folder) when the file
 * still holds `expected` at the key; returns whether it wrote. Idempotent: a file that holds
 * `value` already is left as it is.
 */
export async function setSettingsValue(
  file: string,
  key: string,
  expected: string,
  value: string,
): Promise<boolean> {
  const text = await fs.readFile(file, 'utf8').catch(() => null);
  if (text === null) return false;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return false;
  }
  if (readKey(json, key) !== expected) return false;
  // The file keeps its mode (writeFileDurably takes the replaced file's).
  await writeFileDurably(file, `${JSON.stringify(writeKey(json, key, value), null, 2)}\n`);
  return true;
}
