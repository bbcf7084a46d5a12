#!/usr/bin/env node
// The `tend` command. It runs the bundled command line (out/cli/main.cjs, which `npm install`
// builds through `prepare`, and `npm run build:cli` again) with V8's code cache
// (scripts/cli-code-cache.mjs). When that build is missing or a
// source changed since it was made, it runs the TypeScript sources through tsx instead (a
// development dependency), slower, and says so in one line; TEND_CLI=source asks for that.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUILD_COMMAND, cliBuildState } from '../scripts/cli-build-state.mjs';
import { runWithCodeCache } from '../scripts/cli-code-cache.mjs';

const projectDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const fromSource = process.env.TEND_CLI === 'source';
const state = fromSource ? null : cliBuildState(projectDir);

if (state?.fresh) {
  runWithCodeCache(state.entry, process.argv.slice(2));
} else {
  if (state) {
    process.stderr.write(
      `tend: ${state.reason}; running the sources through tsx, which is slower (\`${BUILD_COMMAND}\` builds it).\n`,
    );
  }
  let register;
  try {
    ({ register } = await import('tsx/esm/api'));
  } catch {
    process.stderr.write(
      `tend: tsx is not installed to run the sources either; run \`npm install\` in ${projectDir}.\n`,
    );
    process.exit(1);
  }
  register();
  await import('../src-main/cli/main.ts');
}
