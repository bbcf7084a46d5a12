/**
 * How `tend` starts: the bundle in out/cli (vitest's global setup builds it when stale, as
 * `prepare` does after an install) run with V8's code cache, nothing of the engine for `--help`,
 * and the TypeScript sources through tsx, with one line saying so, when the bundle is missing or
 * stale.
 *
 * The bundle is one file, so what a command loads is read from V8's coverage of the process
 * (NODE_V8_COVERAGE): every script it compiled, and in out/cli/main.cjs the modules it ran.
 * esbuild wraps each module that loads at an `await import()` (and its imports) in an init
 * function named after the module's source; a source without one runs when the bundle starts.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../support/temp-dir';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const moduleLog = fileURLToPath(new URL('../../support/module-log/register.mjs', import.meta.url));
const bundle = path.join(repo, 'out/cli/main.cjs');

/** The part of esbuild's metafile these tests read: which sources went into which output. */
interface BundleMeta {
  outputs: Record<string, { inputs: Record<string, { bytesInOutput: number }> }>;
}

/** The part of a V8 coverage file these tests read. */
interface Coverage {
  result: Array<{
    url: string;
    functions: Array<{ functionName: string; ranges: Array<{ count: number }> }>;
  }>;
}

/**
 * The sources of out/cli/main.cjs a process ran: those esbuild did not wrap (they run when the
 * bundle starts) and those whose init function ran.
 */
function bundledSourcesRun(script: Coverage['result'][number] | undefined): string[] {
  if (!script) return [];
  const meta = JSON.parse(
    fs.readFileSync(path.join(repo, 'out/cli/meta.json'), 'utf8'),
  ) as BundleMeta;
  const inputs = Object.entries(meta.outputs['out/cli/main.cjs']!.inputs)
    .filter(([, input]) => input.bytesInOutput > 0)
    .map(([source]) => source);
  const calls = new Map<string, number>();
  for (const fn of script.functions) {
    calls.set(fn.functionName, (calls.get(fn.functionName) ?? 0) + fn.ranges[0]!.count);
  }
  return inputs.filter((source) => !calls.has(source) || calls.get(source)! > 0);
}

/**
 * Runs `node [--import module-log] <checkout>/bin/tend.mjs …` with a private state folder and
 * V8's coverage on; `urls` are the modules it resolved and the scripts it compiled, `sources`
 * the sources of the bundle it ran.
 */
function runTend(
  args: ReadonlyArray<string>,
  options: { checkout?: string; env?: NodeJS.ProcessEnv } = {},
) {
  const base = tempDir();
  const log = path.join(base, 'modules.log');
  const coverageDir = path.join(base, 'coverage');
  fs.writeFileSync(log, '');
  const bin = path.join(options.checkout ?? repo, 'bin', 'tend.mjs');
  const result = spawnSync(process.execPath, ['--import', moduleLog, bin, ...args], {
    encoding: 'utf8',
    env: {
      ...process.env,
      TEND_STATE_DIR: path.join(base, 'state'),
      TEND_ROOT: '',
      TEND_MODULE_LOG: log,
      TEND_CLI: '',
      NODE_V8_COVERAGE: coverageDir,
      ...options.env,
    },
    timeout: 120_000,
  });
  const scripts = (fs.existsSync(coverageDir) ? fs.readdirSync(coverageDir) : []).flatMap(
    (file) =>
      (JSON.parse(fs.readFileSync(path.join(coverageDir, file), 'utf8')) as Coverage).result,
  );
  const urls = [
    ...new Set([
      ...fs.readFileSync(log, 'utf8').split('\n').filter(Boolean),
      ...scripts.map((script) => script.url).filter(Boolean),
    ]),
  ];
  const bundleUrl = pathToFileURL(bundle).href;
  const sources = bundledSourcesRun(scripts.find((script) => script.url === bundleUrl));
  return { code: result.status, stdout: result.stdout, stderr: result.stderr, urls, sources, base };
}

/**
 * A copy of what `tend` needs of the checkout, timestamps kept, with node_modules linked:
 * its bundle can be made stale or removed without touching this checkout's.
 */
function copyOfCheckout(): string {
  const copy = path.join(tempDir(), 'tend');
  for (const part of ['package.json', 'bin', 'scripts', 'src-main', 'src-shared', 'out/cli']) {
    fs.cpSync(path.join(repo, part), path.join(copy, part), {
      recursive: true,
      preserveTimestamps: true,
    });
  }
  fs.symlinkSync(path.join(repo, 'node_modules'), path.join(copy, 'node_modules'));
  return copy;
}

const nativeAddon = /node_modules\/(better-sqlite3|hnswlib-node|zstd-napi|@lancedb|pg)\//;

describe('tend --help', () => {
  it('runs the bundle and loads neither the engine, nor a native addon, nor zod', () => {
    const run = runTend(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Usage: tend');
    expect(run.stdout).toContain('backup');
    expect(run.stderr).toBe('');
    expect(run.urls).toContain(pathToFileURL(bundle).href);
    expect(run.urls.filter((url) => url.includes('/node_modules/tsx/'))).toEqual([]);
    expect(run.urls.filter((url) => nativeAddon.test(url))).toEqual([]);
    const sources = run.sources;
    expect(sources).toContain('src-main/cli/cli.ts');
    expect(sources.filter((source) => source.startsWith('src-main/engine/'))).toEqual([]);
    expect(sources.filter((source) => source.includes('node_modules/zod/'))).toEqual([]);
  });

  it('starts from a bundle without the S3 client and libphonenumber, which few commands load', () => {
    // In the bundle, every start would pay for V8 scanning them (or reading their cache).
    const meta = JSON.parse(
      fs.readFileSync(path.join(repo, 'out/cli/meta.json'), 'utf8'),
    ) as BundleMeta;
    const seldom = /node_modules\/(@aws-sdk|@smithy|libphonenumber-js)\//;
    const bundled = Object.keys(meta.outputs['out/cli/main.cjs']!.inputs);
    expect(bundled.filter((source) => seldom.test(source))).toEqual([]);
    const run = runTend(['--help']);
    expect(run.code).toBe(0);
    expect(run.urls.filter((url) => seldom.test(url))).toEqual([]);
  });

  it('shows a command group without loading it either', () => {
    const run = runTend(['backup', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('create');
    expect(run.urls.filter((url) => nativeAddon.test(url))).toEqual([]);
    const sources = run.sources;
    expect(sources.filter((source) => source.startsWith('src-main/engine/'))).toEqual([]);
  });
});

describe('a command that needs the engine', () => {
  it('loads it, SQLite included, when it runs', () => {
    const root = path.join(tempDir(), 'assistant');
    const made = runTend(['init', root]);
    expect(made.code, made.stderr).toBe(0);
    const run = runTend(['info', '--root', root, '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ info: { path: root } });
    expect(run.urls.some((url) => url.includes('/node_modules/better-sqlite3/'))).toBe(true);
    expect(run.sources).toContain('src-main/engine/engine.ts');
  });

  it('tend info loads the engine and its recoveries, not the domains it does not show', () => {
    const root = path.join(tempDir(), 'assistant');
    expect(runTend(['init', root]).code).toBe(0);
    const run = runTend(['info', '--root', root]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(root);
    const sources = run.sources;
    // What it shows (the root, usage, the schema's state) and every start-up recovery.
    for (const needed of [
      'src-main/engine/engine.ts',
      'src-main/engine/usage/usage-service.ts',
      'src-main/engine/maintenance/maintenance-handlers.ts',
      'src-main/engine/restore/restore-recovery.ts',
      'src-main/engine/backup/backup-schedules.ts',
      'src-main/engine/maintenance/maintenance-schedules.ts',
      'src-main/engine/vectors/vectors-hooks.ts',
    ]) {
      expect(sources).toContain(needed);
    }
    // Each domain's handlers load with the first call of one of its channels (lazy-handlers.ts).
    const notNeeded = [
      'src-main/engine/backup/backup-handlers.ts',
      'src-main/engine/restore/restore-handlers.ts',
      'src-main/engine/restore/restore-service.ts',
      'src-main/engine/usage/usage-handlers.ts',
      'src-main/engine/vectors/vectors-handlers.ts',
      'src-main/engine/vectors/vector-service.ts',
      'src-main/engine/health/health-handlers.ts',
      'src-main/engine/schedule/unattended-handlers.ts',
      'src-main/engine/profiles/postgres-app/postgres-handlers.ts',
      'src-main/engine/move/move-handlers.ts',
      'src-main/engine/maintenance/archival.ts',
      'src-main/engine/maintenance/scrub.ts',
      'src-main/engine/maintenance/records-transfer.ts',
    ];
    expect(sources.filter((source) => notNeeded.includes(source))).toEqual([]);
    // hnswlib's addon loads when an index is read or written; pretty-bytes' ICU formatting
    // cost a start-up 17 ms (src-shared/language/bytes.ts writes the same text without it).
    const libraries =
      /node_modules\/(libphonenumber-js|csv-parse|csv-stringify|@aws-sdk|ssh2|pg|@lancedb|zstd-napi|@parcel\/watcher|hnswlib-node|pretty-bytes)\//;
    expect(sources.filter((source) => libraries.test(source))).toEqual([]);
    expect(run.urls.filter((url) => libraries.test(url))).toEqual([]);
  });
});

describe('without a fresh bundle', () => {
  it('runs the sources through tsx and says why in one line', () => {
    const copy = copyOfCheckout();
    expect(runTend(['--help'], { checkout: copy }).stderr).toBe('');

    const later = new Date(Date.now() + 5_000);
    fs.utimesSync(path.join(copy, 'src-shared/language/counts.ts'), later, later);
    const stale = runTend(['--help'], { checkout: copy });
    expect(stale.code).toBe(0);
    expect(stale.stdout).toContain('Usage: tend');
    expect(stale.stderr).toBe(
      'tend: src-shared/language/counts.ts changed after the command line was built; running the sources through tsx, which is slower (`npm run build:cli` builds it).\n',
    );
    expect(stale.urls).toContain(pathToFileURL(path.join(copy, 'src-main/cli/main.ts')).href);

    fs.rmSync(path.join(copy, 'out/cli'), { recursive: true });
    const missing = runTend(['--help'], { checkout: copy });
    expect(missing.code).toBe(0);
    expect(missing.stderr).toMatch(/^tend: the command line is not built \(no out\/cli\/\); /);
    expect(missing.stderr.split('\n')).toHaveLength(2);
  });

  it('runs the sources without a word when TEND_CLI=source asks for them', () => {
    const run = runTend(['--help'], { env: { TEND_CLI: 'source' } });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.urls).toContain(pathToFileURL(path.join(repo, 'src-main/cli/main.ts')).href);
  });
});

describe('tend schedule install from the bundle', () => {
  it("writes an entry that runs this checkout's bin/tend.mjs", () => {
    const base = tempDir();
    const root = path.join(base, 'assistant');
    const env = { XDG_CONFIG_HOME: path.join(base, 'xdg') };
    expect(runTend(['init', root], { env }).code).toBe(0);
    const installed = runTend(['schedule', 'install', '--root', root, '--json'], { env });
    expect(installed.code, installed.stderr).toBe(0);
    expect(installed.sources).toContain('src-main/cli/commands/schedule.ts');
    const unitDir = path.join(base, 'xdg/systemd/user');
    const service = fs.readdirSync(unitDir).find((name) => name.endsWith('.service'))!;
    expect(fs.readFileSync(path.join(unitDir, service), 'utf8')).toContain(
      `"${process.execPath}" "${path.join(repo, 'bin', 'tend.mjs')}" "run-due"`,
    );
  });
});

describe("the bundle's code cache", () => {
  const cacheOf = (checkout: string, name: string) =>
    path.join(checkout, 'out/cli/code-cache', `${name}.bin`);
  const header = (file: string) =>
    JSON.parse(fs.readFileSync(file).toString('latin1').split('\n')[1]!) as Record<string, unknown>;

  it('is written by the first run of a command and used, unchanged, by the next', () => {
    const copy = copyOfCheckout();
    fs.rmSync(path.join(copy, 'out/cli/code-cache'), { recursive: true, force: true });
    const first = runTend(['--help'], { checkout: copy });
    expect(first.code).toBe(0);
    const file = cacheOf(copy, 'help');
    const written = fs.readFileSync(file);
    expect(header(file)).toMatchObject({ node: process.version, bytes: expect.any(Number) });
    expect(fs.existsSync(cacheOf(copy, 'info'))).toBe(false);

    const second = runTend(['--help'], { checkout: copy });
    expect(second).toMatchObject({ code: 0, stdout: first.stdout, stderr: '' });
    expect(fs.readFileSync(file).equals(written)).toBe(true);
  });

  it('is not written by a command that failed: the first that succeeds writes it', () => {
    const copy = copyOfCheckout();
    fs.rmSync(path.join(copy, 'out/cli/code-cache'), { recursive: true, force: true });
    // No root: `tend info` stops at NO_ROOT, before the engine's code it usually runs.
    const failed = runTend(['info'], { checkout: copy });
    expect(failed.code).not.toBe(0);
    expect(fs.existsSync(cacheOf(copy, 'info'))).toBe(false);
    const root = path.join(tempDir(), 'assistant');
    expect(runTend(['init', root], { checkout: copy }).code).toBe(0);
    expect(runTend(['info', '--root', root], { checkout: copy }).code).toBe(0);
    expect(header(cacheOf(copy, 'info'))).toMatchObject({ bytes: expect.any(Number) });
  });

  it('a damaged cache is left out, the command answers, and the cache is written again', () => {
    const copy = copyOfCheckout();
    const root = path.join(tempDir(), 'assistant');
    expect(runTend(['init', root], { checkout: copy }).code).toBe(0);
    const good = runTend(['info', '--root', root, '--json'], { checkout: copy });
    expect(good.code, good.stderr).toBe(0);
    const file = cacheOf(copy, 'info');
    const intact = fs.readFileSync(file);

    const damaged = Buffer.from(intact);
    for (let at = damaged.length - 4096; at < damaged.length; at += 7) damaged[at] = 0xa5;
    fs.writeFileSync(file, damaged);
    const run = runTend(['info', '--root', root, '--json'], { checkout: copy });
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(run.stdout)).toMatchObject({ info: { path: root } });
    expect(fs.readFileSync(file).equals(damaged)).toBe(false);
    expect(header(file)).toMatchObject({ bytes: expect.any(Number) });
  });

  it("a cache V8 refuses (another script's code) does not stop the command and is replaced", async () => {
    const { writeCodeCache } = await import('../../../scripts/cli-code-cache.mjs');
    const copy = copyOfCheckout();
    const stat = fs.statSync(path.join(copy, 'out/cli/main.cjs'));
    const file = cacheOf(copy, 'help');
    const foreign = new (await import('node:vm')).Script('1 + 1').createCachedData();
    const fields = {
      node: process.version,
      arch: process.arch,
      sourceBytes: stat.size,
      sourceMtimeMs: stat.mtimeMs,
    };
    writeCodeCache(file, fields, foreign);
    const planted = fs.readFileSync(file);
    const run = runTend(['--help'], { checkout: copy });
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toContain('Usage: tend');
    const replaced = fs.readFileSync(file);
    expect(replaced.equals(planted)).toBe(false);
    expect(replaced.length).toBeGreaterThan(planted.length);
  });

  it("a package's import() runs from a cached bundle too", () => {
    // The demo's vector index loads hnswlib-node at an `await import()`: under Node 20 the
    // second run, compiled from the cache, had no import() ("A dynamic import callback was not
    // specified") until the build made each one a require().
    const copy = copyOfCheckout();
    for (const name of ['first', 'second']) {
      const root = path.join(tempDir(), name);
      const run = runTend(['demo', '--root', root, '--size', 'small'], { checkout: copy });
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).not.toMatch(/dynamic import|ExperimentalWarning/);
      expect(run.urls.some((url) => url.includes('/node_modules/hnswlib-node/'))).toBe(true);
    }
    expect(fs.existsSync(cacheOf(copy, 'demo'))).toBe(true);
  });

  it('a cache of another build of the bundle is not used', () => {
    const copy = copyOfCheckout();
    expect(runTend(['--help'], { checkout: copy }).code).toBe(0);
    const file = cacheOf(copy, 'help');
    const before = header(file);
    // The same bundle, one byte longer: the cache's header names the old size.
    fs.appendFileSync(path.join(copy, 'out/cli/main.cjs'), '\n');
    const run = runTend(['--help'], { checkout: copy });
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(header(file).sourceBytes).toBe((before.sourceBytes as number) + 1);
  });
});
