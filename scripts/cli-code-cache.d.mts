/** Types of cli-code-cache.mjs, for the tests (TypeScript). */

/** The code cache's folder, beside the bundle. */
export declare const CODE_CACHE_DIR: string;

/** What a cache file says about what it was made from. */
export interface CodeCacheSource {
  /** The Node version that made it. */
  node: string;
  /** The processor architecture. */
  arch: string;
  /** The size of the bundle it was made from. */
  sourceBytes: number;
  /** The modification time of that bundle. */
  sourceMtimeMs: number;
}

/** The name of the cache a command line uses; null when its first word cannot name a file. */
export declare function cacheNameFor(argv: ReadonlyArray<string>): string | null;

/** V8's data from a cache file; undefined when missing, damaged, or made for another source. */
export declare function readCodeCache(file: string, expected: CodeCacheSource): Buffer | undefined;

/** Writes V8's data with its header through a temporary file; never throws. */
export declare function writeCodeCache(file: string, header: CodeCacheSource, data: Buffer): void;

/** Runs the CommonJS bundle `entry` as the main script, with the command's code cache. */
export declare function runWithCodeCache(entry: string, argv: ReadonlyArray<string>): void;
