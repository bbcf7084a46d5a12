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

/** One ordered rule of a category profile: the first rule whose glob matches wins. */
export interface CategoryRule {
  readonly glob: string;
  readonly category: Category;
  /** For a disposable rule: the cleanup that may remove what it matches. */
  readonly cleanup?: CleanupPlace;
}

/** Tend's own state; never counted, backed up or restored over. */
export const TEND_DIR = '.tend';

/**
 * The native profile, from the seed documents' layout (DESIGN §3).
 *
 * Order matters. What a person uploaded or configured comes first and is theirs whatever it
 * is called; custom models are irreplaceable although they sit under models/. Disposable
 * files are only what the layout's own disposable places hold (its logs, its cache, the index
 * writer's temporary and lock files, the assistant's temporary uploads), never a name pattern
 * matched anywhere in the tree: a `tmp/` folder or a `*.log` file elsewhere may be anyone's.
 * Anything unknown is irreplaceable, because guessing "disposable" wrong loses data.
 */
export const defaultCategoryRules: ReadonlyArray<CategoryRule> = [
  { glob: 'local_data/internal_assistant/documents/**', category: 'irreplaceable' },
  { glob: 'config/**', category: 'irreplaceable' },
  // The old layout's uploads are documents too, whatever their names (server.log, draft.tmp).
  { glob: 'data/uploads/**', category: 'irreplaceable' },
  { glob: 'local_data/models/custom/**', category: 'irreplaceable' },
  {
    glob: 'local_data/internal_assistant/vector_store/*/{.lock,*.lock}',
    category: 'disposable',
    cleanup: { kind: 'locks', place: 'vector_store/<collection>/ (index locks)' },
  },
  {
    glob: 'local_data/internal_assistant/vector_store/*/*.{tmp,partial}',
    category: 'disposable',
    cleanup: {
      kind: 'temp',
      place: "vector_store/<collection>/ (the index writer's temporary files)",
    },
  },
  {
    glob: 'local_data/internal_assistant/upload_*.tmp',
    category: 'disposable',
    cleanup: { kind: 'temp', place: "internal_assistant/ (the assistant's temporary uploads)" },
  },
  {
    glob: 'local_data/cache/**/*.tmp',
    category: 'disposable',
    cleanup: { kind: 'temp', place: 'local_data/cache/' },
  },
  {
    glob: 'local_data/cache/**',
    category: 'disposable',
    cleanup: { kind: 'cache', place: 'local_data/cache/' },
  },
  {
    glob: 'local_data/logs/**',
    category: 'disposable',
    cleanup: { kind: 'logs', place: 'local_data/logs/' },
  },
  {
    glob: 'data/logs/**',
    category: 'disposable',
    cleanup: { kind: 'logs', place: "data/logs/ (the old layout's logs)" },
  },
  { glob: 'local_data/internal_assistant/vector_store/**', category: 'rebuildable' },
  { glob: 'local_data/models/**', category: 'redownloadable' },
  { glob: 'local_data/internal_assistant/**', category: 'irreplaceable' },
  { glob: 'data/**', category: 'irreplaceable' },
  { glob: '**', category: 'irreplaceable' },
];

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
    if (normalized === TEND_DIR || normalized.startsWith(`${TEND_DIR}/`)) return null;
    for (const matcher of matchers) {
      if (matcher.test(normalized)) return matcher.category;
    }
    return 'irreplaceable';
  };
}

/** The category of a root-relative path under the default profile. */
export const categorize: Categorizer = compileCategoryRules(defaultCategoryRules);

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
    if (normalized === TEND_DIR || normalized.startsWith(`${TEND_DIR}/`)) return null;
    const matched = matchers.find((matcher) => matcher.test(normalized))?.rule;
    return matched?.category === 'disposable' ? (matched.cleanup ?? null) : null;
  };
}

/** The cleanup that may remove a root-relative path under the default profile, or null. */
export const cleanupPlaceOf = compileCleanupRules(defaultCategoryRules);
