/**
 * `npm run bench [-- --only a,b] [-- --list]`: runs the suites and prints one JSON object of
 * their figures on stdout (progress goes to stderr); also writes it to .cache/bench/results.json.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { benchCacheDir, log } from './support';
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

const results: Record<string, unknown> = {
  machine: { cpus: os.cpus().length, memoryBytes: os.totalmem(), node: process.version },
  startedAt: new Date().toISOString(),
};
let failed = false;
for (const [name, load] of Object.entries(suites)) {
  if (only && !only.includes(name)) continue;
  log(`running ${name}`);
  try {
    results[name] = await (await load()).run();
  } catch (error) {
    failed = true;
    results[name] = { error: (error as Error).stack ?? String(error) };
    log(`${name} failed: ${(error as Error).message}`);
  }
}
const json = JSON.stringify(results, null, 2);
fs.mkdirSync(benchCacheDir, { recursive: true });
fs.writeFileSync(path.join(benchCacheDir, 'results.json'), `${json}\n`);
process.stdout.write(`${json}\n`);
process.exit(failed ? 1 : 0);
