/**
 * `npm run bench [-- --only a,b] [-- --list]`: runs the suites and prints one JSON object of
 * their figures on stdout (progress goes to stderr); also writes it to .cache/bench/results.json.
 * Each suite's figures carry the load average before and after it: a ratio from a busy machine
 * reads differently from a quiet one's.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchCacheDir, loadAverage, log } from './support';
import { suites } from './suites';

const args = process.argv.slice(2);
const onlyAt = args.indexOf('--only');
const only = onlyAt >= 0 ? (args[onlyAt + 1] ?? '').split(',').filter(Boolean) : null;

if (args.includes('--list')) {
  for (const [name, load] of Object.entries(suites)) {
    process.stdout.write(`${name}: ${(await load()).description}\n`);
  }
  process.exit(0);
}

const unknown = (only ?? []).filter((name) => !Object.hasOwn(suites, name));
if (unknown.length > 0) {
  process.stderr.write(`bench: no suite named ${unknown.join(', ')}. Try --list.\n`);
  process.exit(2);
}

// Tend is measured as a person runs it: the bundled command line, built from these sources.
execFileSync(
  process.execPath,
  [fileURLToPath(new URL('../scripts/build-cli.mjs', import.meta.url)), '--if-stale'],
  { stdio: ['ignore', 'ignore', 'inherit'] },
);

const results: Record<string, unknown> = {
  machine: { cpus: os.cpus().length, memoryBytes: os.totalmem(), node: process.version },
  startedAt: new Date().toISOString(),
};
let failed = false;
for (const [name, load] of Object.entries(suites)) {
  if (only && !only.includes(name)) continue;
  const before = loadAverage();
  log(`running ${name} (load average ${before.join(' ')})`);
  let figures: Record<string, unknown>;
  try {
    figures = await (await load()).run();
  } catch (error) {
    failed = true;
    figures = { error: (error as Error).stack ?? String(error) };
    log(`${name} failed: ${(error as Error).message}`);
  }
  const after = loadAverage();
  log(`${name} done (load average ${after.join(' ')})`);
  results[name] = { ...figures, loadAverage: { before, after } };
}
const json = JSON.stringify(results, null, 2);
fs.mkdirSync(benchCacheDir, { recursive: true });
fs.writeFileSync(path.join(benchCacheDir, 'results.json'), `${json}\n`);
process.stdout.write(`${json}\n`);
process.exit(failed ? 1 : 0);
