/**
 * Which profile a folder is: each profile's markers are looked at (a stat, and for a shape a
 * few bytes read), their weights combine into a confidence, and the best profile wins only
 * when it is confident enough and no other is as confident. Reads only, and never walks the
 * folder: a home folder of a million files is answered as fast as an empty one.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import {
  DETECTED_CONFIDENCE,
  type ProfileDetection,
  type ProfileMatch,
} from '../../../src-shared/models/profiles';
import { parseSqliteHeader, SQLITE_HEADER_BYTES } from '../stores/sqlite/sqlite-header';
import type { Profile, ProfileMarker } from './profile';

/** How many leading bytes of a `json` marker are read to see that it is JSON. */
const JSON_PROBE_BYTES = 64;
/** How much of a `postgres-url` marker (a compose file, an `.env`) is read for a URL. */
const TEXT_PROBE_BYTES = 64 * 1024;
/** A PostgreSQL connection URL's scheme, as libpq and the apps' drivers take it. */
const POSTGRES_URL = /\bpostgres(?:ql)?:\/\/[^\s'"]+/;

async function readHead(file: string, bytes: number): Promise<Buffer | null> {
  const handle = await fs.open(file, 'r').catch(() => null);
  if (!handle) return null;
  try {
    const head = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(head, 0, bytes, 0);
    return head.subarray(0, bytesRead);
  } catch {
    return null;
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/**
 * Whether a marker is in `folder` with its shape. Links are followed: an app's folder may keep
 * its database or uploads on another disk.
 */
export async function markerPresent(folder: string, marker: ProfileMarker): Promise<boolean> {
  const full = path.join(folder, ...marker.path.split('/').filter((part) => part !== ''));
  const stat = await fs.stat(full).catch(() => null);
  if (!stat) return false;
  switch (marker.shape) {
    case 'folder':
      return stat.isDirectory();
    case 'file':
      return stat.isFile();
    case 'sqlite': {
      if (!stat.isFile()) return false;
      const head = await readHead(full, SQLITE_HEADER_BYTES);
      return head !== null && parseSqliteHeader(head).ok;
    }
    case 'json': {
      if (!stat.isFile()) return false;
      const head = await readHead(full, JSON_PROBE_BYTES);
      // A JSON store of an app is an object or a list; its first character says which.
      const text =
        head
          ?.toString('utf8')
          .replace(/^\uFEFF/, '')
          .trimStart() ?? '';
      return text.startsWith('{') || text.startsWith('[');
    }
    case 'postgres-url': {
      if (!stat.isFile()) return false;
      const head = await readHead(full, TEXT_PROBE_BYTES);
      return head !== null && POSTGRES_URL.test(head.toString('utf8'));
    }
  }
}

/** The confidence that present markers of these weights give: 1 − Π(1 − weight). */
export function combinedConfidence(weights: ReadonlyArray<number>): number {
  let doubt = 1;
  for (const weight of weights) doubt *= 1 - Math.min(1, Math.max(0, weight));
  return 1 - doubt;
}

/** How well `folder` matches one profile. */
export async function matchProfile(folder: string, profile: Profile): Promise<ProfileMatch> {
  const present = await Promise.all(profile.markers.map((marker) => markerPresent(folder, marker)));
  return {
    profile: profile.id,
    name: profile.name,
    confidence: combinedConfidence(
      profile.markers.flatMap((marker, index) => (present[index] ? [marker.weight] : [])),
    ),
    markers: profile.markers.map((marker, index) => ({
      path: marker.path,
      what: marker.what,
      present: present[index] ?? false,
    })),
  };
}

/**
 * The verdict over matches: the best one, when it reaches DETECTED_CONFIDENCE and is strictly
 * ahead of the next (a tie is never settled by a guess), else null with the reason in words.
 */
export function verdictOf(matches: ReadonlyArray<ProfileMatch>): {
  detected: ProfileMatch | null;
  reason: string | null;
} {
  const [best, second] = [...matches].sort((a, b) => b.confidence - a.confidence);
  if (!best || best.confidence <= 0) {
    return { detected: null, reason: 'Nothing of any profile Tend knows was found.' };
  }
  if (best.confidence < DETECTED_CONFIDENCE) {
    return {
      detected: null,
      reason: `Only weak signs of ${best.name} were found (${percent(best.confidence)} sure), not enough to call it one.`,
    };
  }
  if (second && second.confidence >= best.confidence) {
    return {
      detected: null,
      reason: `It looks as much like ${best.name} as like ${second.name} (${percent(best.confidence)} each). Choose the profile by hand (tend adopt DIR --profile ID).`,
    };
  }
  return { detected: best, reason: null };
}

function percent(confidence: number): string {
  return `${Math.round(confidence * 100)}%`;
}

/** Every profile's match for a folder (best first) and the verdict. */
export async function detectProfiles(
  folder: string,
  profiles: ReadonlyArray<Profile>,
): Promise<ProfileDetection> {
  const matches = await Promise.all(profiles.map((profile) => matchProfile(folder, profile)));
  matches.sort((a, b) => b.confidence - a.confidence || a.profile.localeCompare(b.profile));
  const { detected, reason } = verdictOf(matches);
  return { path: folder, detected: detected?.profile ?? null, reason, matches };
}
