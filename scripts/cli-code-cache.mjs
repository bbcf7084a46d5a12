/**
 * Runs the bundled command line (out/cli/main.cjs) with V8's code cache: the code a command
 * compiled is kept in out/cli/code-cache/<command>.bin and handed back to V8 the next time that
 * command runs, so V8 neither parses the 3 MB bundle again nor compiles the functions the
 * command runs (about a third of `tend info`'s CPU time). Node 20 has no cache for ES modules
 * (module.enableCompileCache came with Node 22), hence one CommonJS file run through vm.Script,
 * as the v8-compile-cache package does.
 *
 * A cache never decides what a command does, and never stops one:
 * - each file carries its own checksum, the Node version and architecture, and the size and
 *   time of the bundle it was made from; a file that does not match is not given to V8 (V8 does
 *   not check a cache's checksum itself in release builds);
 * - V8 refuses a cache made by another V8, with other flags or for another source
 *   (`cachedDataRejected`), and compiles the bundle as if there were none;
 * - a cache that was missing or refused is written again when a command ends well, through a
 *   temporary file renamed into place (a command running at the same time reads the old file
 *   or the new one, never half of one); when it cannot be written (a read-only install) the
 *   command runs as before, without a word.
 * A new build replaces out/cli and its code-cache folder with it.
 *
 * Plain JavaScript on purpose: bin/tend.mjs runs it before anything is built.
 */
import fs from 'node:fs';
import { createRequire, Module } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';
import zlib from 'node:zlib';

/** The code cache's folder, beside the bundle. */
export const CODE_CACHE_DIR = 'code-cache';

/** The first line of a cache file; a new layout changes it. */
const MAGIC = 'tend-v8-code-cache 1';

/** At most this many commands keep a cache (a typo is a command too). */
const MAX_FILES = 40;

/**
 * @typedef {object} CacheHeader what a cache file says about itself
 * @property {string} node the Node version that made it
 * @property {string} arch the processor architecture
 * @property {number} sourceBytes the size of the bundle it was made from
 * @property {number} sourceMtimeMs the modification time of that bundle
 * @property {number} bytes the length of V8's data that follows
 * @property {number} crc32 the checksum of that data
 */

/**
 * The name of the cache a command line uses: its first word (`info`, `backup`, …), `help` for
 * help and for no command at all. Null when the word cannot name a file.
 *
 * @param {ReadonlyArray<string>} argv the command line's arguments, after `tend`
 * @returns {string | null}
 */
export function cacheNameFor(argv) {
  if (argv.includes('--help') || argv.includes('-h')) return 'help';
  for (let index = 0; index < argv.length; index += 1) {
    const arg = /** @type {string} */ (argv[index]);
    if (arg === '--root') index += 1;
    else if (!arg.startsWith('-')) return /^[a-z][a-z0-9-]{0,39}$/.test(arg) ? arg : null;
  }
  return 'help';
}

/**
 * The header that the cache of `source` must carry to be given to V8 in this process.
 *
 * @param {fs.Stats} source the bundle's stat
 * @returns {Omit<CacheHeader, 'bytes' | 'crc32'>}
 */
function expectedHeader(source) {
  return {
    node: process.version,
    arch: process.arch,
    sourceBytes: source.size,
    sourceMtimeMs: source.mtimeMs,
  };
}

/**
 * V8's data from a cache file, or undefined when the file is missing, damaged, or was made for
 * another bundle or another Node.
 *
 * @param {string} file the cache file
 * @param {Omit<CacheHeader, 'bytes' | 'crc32'>} expected what its header must say
 * @returns {Buffer | undefined}
 */
export function readCodeCache(file, expected) {
  let content;
  try {
    content = fs.readFileSync(file);
  } catch {
    return undefined;
  }
  const firstEnd = content.indexOf(10);
  const headerEnd = firstEnd < 0 ? -1 : content.indexOf(10, firstEnd + 1);
  if (headerEnd < 0 || content.toString('latin1', 0, firstEnd) !== MAGIC) return undefined;
  /** @type {CacheHeader} */
  let header;
  try {
    header = JSON.parse(content.toString('utf8', firstEnd + 1, headerEnd));
  } catch {
    return undefined;
  }
  const data = content.subarray(headerEnd + 1);
  if (
    typeof header !== 'object' ||
    header === null ||
    Object.entries(expected).some(([key, value]) => header[key] !== value) ||
    header.bytes !== data.length ||
    typeof zlib.crc32 !== 'function' ||
    header.crc32 !== zlib.crc32(data)
  ) {
    return undefined;
  }
  return data;
}

/**
 * Writes V8's data with its header to `file`, through a temporary file renamed into place.
 * Never throws: a cache that cannot be written is only a slower next start.
 *
 * @param {string} file the cache file
 * @param {Omit<CacheHeader, 'bytes' | 'crc32'>} header what the data was made from
 * @param {Buffer} data V8's code cache
 */
export function writeCodeCache(file, header, data) {
  if (typeof zlib.crc32 !== 'function' || data.length === 0) return;
  const dir = path.dirname(file);
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    fs.mkdirSync(dir, { recursive: true });
    const others = fs.readdirSync(dir).filter((name) => name.endsWith('.bin'));
    if (!others.includes(path.basename(file)) && others.length >= MAX_FILES) return;
    const full = { ...header, bytes: data.length, crc32: zlib.crc32(data) };
    fs.writeFileSync(
      temporary,
      Buffer.concat([Buffer.from(`${MAGIC}\n${JSON.stringify(full)}\n`), data]),
    );
    fs.renameSync(temporary, file);
  } catch {
    try {
      fs.rmSync(temporary, { force: true });
    } catch {
      // Its folder could not be made either: nothing was written.
    }
  }
}

/**
 * Runs the CommonJS bundle `entry` as Node would run it as the main script, with the code cache
 * of the command in `argv` (see the top of this file).
 *
 * @param {string} entry the bundle (out/cli/main.cjs)
 * @param {ReadonlyArray<string>} argv the command line's arguments, after `tend`
 */
export function runWithCodeCache(entry, argv) {
  const source = fs.readFileSync(entry, 'utf8');
  const stat = fs.statSync(entry);
  const name = cacheNameFor(argv);
  const file = name === null ? null : path.join(path.dirname(entry), CODE_CACHE_DIR, `${name}.bin`);
  const header = expectedHeader(stat);
  const cachedData = file === null ? undefined : readCodeCache(file, header);
  const script = new vm.Script(Module.wrap(source), {
    filename: entry,
    // No importModuleDynamically: Node 20 loses it for a script compiled from a cache, so the
    // bundle has no import() (scripts/build-cli.mjs makes each one a require()).
    cachedData,
  });
  if (file !== null && (cachedData === undefined || script.cachedDataRejected)) {
    // At the end, when the command's functions have been compiled and can be kept too; only
    // after a command that succeeded, so a first `tend info` that stopped at a missing root
    // does not leave a cache of its error path for every later one.
    process.once('exit', (code) => {
      if (code === 0) writeCodeCache(file, header, script.createCachedData());
    });
  }
  const run = script.runInThisContext();
  const module = { exports: {}, filename: entry, id: '.', loaded: false };
  run.call(
    module.exports,
    module.exports,
    createRequire(entry),
    module,
    entry,
    path.dirname(entry),
  );
}
