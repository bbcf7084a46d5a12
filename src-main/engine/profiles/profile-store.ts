/**
 * Glues a store kind of the store library to a profile's paths: `defineStore` turns "a SQLite
 * database at local_data/internal_assistant/assistant.db" into a `ProfileStore` whose
 * instances plan their capture and validate themselves.
 */
import type { Dirent } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Category } from '../../../src-shared/models/categories';
import type { StoreOrigin } from '../../../src-shared/models/profiles';
import type { CapturePlan } from '../stores/capture-plan';
import type { StoreCheck } from '../stores/store-finding';
import type { StoreKind, StoreRunOptions } from '../stores/store-kind';
import type { InstanceCheck, ProfileStore, StoreInstance } from './profile';

/** Where an instance is, for the kind's own functions. */
export interface InstancePlace {
  /** The data root. */
  readonly root: string;
  /** Root-relative, forward slashes. */
  readonly relative: string;
  readonly absolute: string;
}

/** What `defineStore` is told. */
export interface StoreDefinition<Location, Facts> {
  readonly id: string;
  readonly title: string;
  readonly kind: StoreKind<Location, Facts>;
  /** Root-relative; `*` stands for one name (never `.`-names), each match one instance. */
  readonly paths: ReadonlyArray<string>;
  /** Whether an instance is a file (a database) or a folder (an index, an upload folder). */
  readonly shape: 'file' | 'folder';
  readonly category: Category;
  /** The kind's origin unless given. */
  readonly origin?: StoreOrigin;
  /** Where the kind's functions find an instance. */
  locate(place: InstancePlace): Location;
  /** The kind's capture sentence unless given. */
  readonly capture?: string;
  /** How it is validated, in words. */
  readonly validation: string;
  /** The instance in a person's words (default: the title and its path). */
  label?(place: InstancePlace): string;
  /** Replaces the kind's validation (to compare with the store it is derived from, say). */
  validate?(
    place: InstancePlace,
    location: Location,
    options?: StoreRunOptions,
  ): Promise<InstanceCheck>;
  /** Replaces the kind's capture plan. */
  planCapture?(place: InstancePlace, location: Location): Promise<CapturePlan>;
}

/** A profile store from a store kind and the profile's paths. */
export function defineStore<Location, Facts>(
  definition: StoreDefinition<Location, Facts>,
): ProfileStore {
  const { kind } = definition;
  return {
    id: definition.id,
    kind: kind.kind,
    title: definition.title,
    paths: definition.paths,
    category: definition.category,
    origin: definition.origin ?? kind.origin,
    capture: definition.capture ?? kind.description,
    validation: definition.validation,
    async instances(root) {
      const found: StoreInstance[] = [];
      for (const pattern of definition.paths) {
        for (const relative of await expandPattern(root, pattern, definition.shape)) {
          const place: InstancePlace = {
            root,
            relative,
            absolute: path.join(root, ...relative.split('/')),
          };
          const location = definition.locate(place);
          found.push({
            storeId: definition.id,
            kind: kind.kind,
            path: relative,
            label: definition.label?.(place) ?? `${definition.title} (${relative})`,
            planCapture: () =>
              definition.planCapture
                ? definition.planCapture(place, location)
                : kind.planCapture(location),
            validate: async (options) =>
              definition.validate
                ? definition.validate(place, location, options)
                : summarised(await kind.validate(location, options)),
          });
        }
      }
      return found;
    },
  };
}

/** A kind's check with its summary: "sound", or its problems one after another. */
export function summarised(check: StoreCheck<unknown>): InstanceCheck {
  const problems = check.findings.filter((finding) => finding.severity === 'problem');
  return {
    ...check,
    summary:
      problems.length === 0
        ? 'sound'
        : problems
            .slice(0, 3)
            .map((finding) => finding.message)
            .join('; '),
  };
}

/**
 * The root-relative paths a pattern names that exist in `root` (of `shape`), sorted. A `*` segment stands
 * for every name in that folder but hidden ones; links are followed (a store may live on
 * another disk behind a link), and nothing is written.
 */
export async function expandPattern(
  root: string,
  pattern: string,
  shape: 'file' | 'folder' | 'any' = 'any',
): Promise<string[]> {
  const segments = pattern.split('/').filter((segment) => segment !== '');
  let current: string[] = [''];
  for (const segment of segments) {
    const next: string[] = [];
    for (const base of current) {
      if (segment === '*') {
        let entries: Dirent[];
        try {
          entries = await fs.readdir(path.join(root, base), { withFileTypes: true });
        } catch {
          continue;
        }
        for (const entry of entries) {
          if (entry.name.startsWith('.')) continue;
          next.push(base ? `${base}/${entry.name}` : entry.name);
        }
      } else {
        next.push(base ? `${base}/${segment}` : segment);
      }
    }
    current = next;
  }
  const present: string[] = [];
  for (const relative of current) {
    if (relative === '') continue;
    const stat = await fs.stat(path.join(root, relative)).catch(() => null);
    if (!stat) continue;
    if (shape === 'file' ? stat.isFile() : shape === 'folder' ? stat.isDirectory() : true) {
      if (stat.isFile() || stat.isDirectory()) present.push(relative);
    }
  }
  return present.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
