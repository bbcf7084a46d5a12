import picomatch from 'picomatch';
import type { Category } from '../../../src-shared/models/categories';

/** The cleanups that remove disposable files, each with its own rule (usage/clean-plan.ts). */
export type CleanupKind = 'logs' | 'cache' | 'locks' | 'temp';

/** Which cleanup removes a disposable rule's files, and where they are, in words. */
export interface CleanupPlace {
  readonly kind: CleanupKind;
  /** The place the rule names, as the preview shows it: `local_data/logs/`. */
  readonly place: string;
}

/** One ordered rule of a profile's category rules: the first rule whose glob matches wins. */
export interface CategoryRule {
  readonly glob: string;
  readonly category: Category;
  /** For a disposable rule: the cleanup that may remove what it matches. */
  readonly cleanup?: CleanupPlace;
}

/**
 * The name Tend's state folder had inside a data folder before it moved to Tend's state
 * directory, and that backup archives keep for their manifest (`.tend/manifest.json`): never
 * counted, backed up or restored over, whatever a profile's rules say.
 */
export const TEND_DIR = '.tend';

/**
 * How a restore's staging folder is named inside a root that has no writable parent on its
 * filesystem (restore/restore-journal.ts): Tend's own, never counted or backed up.
 */
export const TEND_STAGING_PREFIX = '.tend-staging-';

/** Whether a top-level name of a root is Tend's own (the old state folder, a restore's staging). */
export function isTendEntry(name: string): boolean {
  return name === TEND_DIR || name.startsWith(TEND_STAGING_PREFIX);
}

/** A compiled profile: a pure function from a root-relative path to its category. */
export type Categorizer = (relativePath: string) => Category | null;

/**
 * Compiles rules into a categorizer.
 *
 * Paths are root-relative with forward slashes. Tend's own `.tend/` answers null: it is not
 * the user's data.
 */
export function compileCategoryRules(rules: ReadonlyArray<CategoryRule>): Categorizer {
  const matchers = rules.map((rule) => ({
    test: picomatch(rule.glob, { dot: true }),
    category: rule.category,
  }));
  return (relativePath) => {
    const normalized = relativePath.replaceAll('\\', '/').replace(/^\.\/+/, '');
    if (isTendEntry(normalized.split('/', 1)[0] ?? '')) return null;
    for (const matcher of matchers) {
      if (matcher.test(normalized)) return matcher.category;
    }
    return 'irreplaceable';
  };
}

/**
 * Compiles rules into the question cleanup asks: which cleanup may remove this path, and why.
 * The answer is the first matching rule's, so a rule that keeps a path irreplaceable (an
 * upload named `server.log`) wins over every disposable rule after it.
 */
export function compileCleanupRules(
  rules: ReadonlyArray<CategoryRule>,
): (relativePath: string) => CleanupPlace | null {
  const matchers = rules.map((rule) => ({ test: picomatch(rule.glob, { dot: true }), rule }));
  return (relativePath) => {
    const normalized = relativePath.replaceAll('\\', '/').replace(/^\.\/+/, '');
    if (isTendEntry(normalized.split('/', 1)[0] ?? '')) return null;
    const matched = matchers.find((matcher) => matcher.test(normalized))?.rule;
    return matched?.category === 'disposable' ? (matched.cleanup ?? null) : null;
  };
}

const categorizers = new WeakMap<ReadonlyArray<CategoryRule>, Categorizer>();
const cleanupLookups = new WeakMap<
  ReadonlyArray<CategoryRule>,
  (relativePath: string) => CleanupPlace | null
>();

/** The categorizer of a rule list, compiled once per list. */
export function categorizerFor(rules: ReadonlyArray<CategoryRule>): Categorizer {
  let compiled = categorizers.get(rules);
  if (!compiled) {
    compiled = compileCategoryRules(rules);
    categorizers.set(rules, compiled);
  }
  return compiled;
}

/** The cleanup lookup of a rule list, compiled once per list. */
export function cleanupLookupFor(
  rules: ReadonlyArray<CategoryRule>,
): (relativePath: string) => CleanupPlace | null {
  let compiled = cleanupLookups.get(rules);
  if (!compiled) {
    compiled = compileCleanupRules(rules);
    cleanupLookups.set(rules, compiled);
  }
  return compiled;
}
