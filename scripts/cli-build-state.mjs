/**
 * Whether the bundled command line in out/cli/ can run: it was built, and none of the sources
 * it was built from changed since. bin/tend.mjs asks before every command (about 200 stats,
 * a millisecond or two); scripts/build-cli.mjs writes the record it reads.
 *
 * Plain JavaScript on purpose: it runs before anything is built, without tsx.
 */
import fs from 'node:fs';
import path from 'node:path';

/** The bundle's folder, inside the checkout. */
export const CLI_OUT_DIR = path.join('out', 'cli');

/** The build's record beside the bundle: when the build started and what it read. */
export const BUILD_RECORD = 'build.json';

/** What `npm run build:cli` is, for the messages. */
export const BUILD_COMMAND = 'npm run build:cli';

/**
 * @typedef {{ fresh: true, entry: string } | { fresh: false, reason: string }} CliBuildState
 */

/**
 * Reads the build record of the bundle in `projectDir` and checks it against the sources.
 *
 * A source whose modification time is later than the start of the build makes the bundle
 * stale; a source that is gone does not (a file only stops being read when a file that imported
 * it changed, and that one is newer).
 *
 * @param {string} projectDir the checkout (the folder holding package.json)
 * @returns {CliBuildState}
 */
export function cliBuildState(projectDir) {
  const outDir = path.join(projectDir, CLI_OUT_DIR);
  const entry = path.join(outDir, 'main.cjs');
  let record;
  try {
    record = JSON.parse(fs.readFileSync(path.join(outDir, BUILD_RECORD), 'utf8'));
  } catch {
    return { fresh: false, reason: `the command line is not built (no ${CLI_OUT_DIR}/)` };
  }
  if (
    typeof record !== 'object' ||
    record === null ||
    typeof record.startedAtMs !== 'number' ||
    !Array.isArray(record.sources) ||
    !record.sources.every((source) => typeof source === 'string')
  ) {
    return { fresh: false, reason: `the build record ${CLI_OUT_DIR}/${BUILD_RECORD} is damaged` };
  }
  if (!fs.existsSync(entry)) {
    return { fresh: false, reason: `the build in ${CLI_OUT_DIR}/ is incomplete` };
  }
  for (const source of record.sources) {
    const stat = fs.statSync(path.join(projectDir, source), { throwIfNoEntry: false });
    if (stat && stat.mtimeMs > record.startedAtMs) {
      return { fresh: false, reason: `${source} changed after the command line was built` };
    }
  }
  return { fresh: true, entry };
}
