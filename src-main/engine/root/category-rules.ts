import picomatch from 'picomatch';
import type { Category } from '../../../src-shared/models/categories';

/** One ordered rule of a category profile: the first rule whose glob matches wins. */
export interface CategoryRule {
  readonly glob: string;
  readonly category: Category;
}

/** Tend's own state; never counted, backed up or restored over. */
export const TEND_DIR = '.tend';

/**
 * The default profile, from the seed documents' layout (DESIGN §3).
 *
 * Order matters: uploaded documents and config come first, whatever their names; then temp
 * files and locks are disposable wherever they are, custom models are
 * irreplaceable although they sit under models/, and anything unknown is treated as
 * irreplaceable, because guessing "disposable" wrong loses data.
 */
export const defaultCategoryRules: ReadonlyArray<CategoryRule> = [
  // What the user uploaded or configured is theirs whatever its name: a document called
  // server.log or build.tmp must never be taken for a disposable log or temp file.
  { glob: 'local_data/internal_assistant/documents/**', category: 'irreplaceable' },
  { glob: 'config/**', category: 'irreplaceable' },
  { glob: '**/*.{tmp,temp,partial,swp}', category: 'disposable' },
  { glob: '**/{.lock,*.lock,*.pid,LOCK}', category: 'disposable' },
  { glob: '**/tmp/**', category: 'disposable' },
  { glob: 'local_data/cache/**', category: 'disposable' },
  { glob: 'local_data/logs/**', category: 'disposable' },
  { glob: '**/logs/**', category: 'disposable' },
  { glob: '**/*.{log,log.gz}', category: 'disposable' },
  { glob: '**/*.log.+([0-9])', category: 'disposable' },
  { glob: 'local_data/internal_assistant/vector_store/**', category: 'rebuildable' },
  { glob: 'local_data/models/custom/**', category: 'irreplaceable' },
  { glob: 'local_data/models/**', category: 'redownloadable' },
  { glob: 'local_data/internal_assistant/**', category: 'irreplaceable' },
  { glob: 'config/**', category: 'irreplaceable' },
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
