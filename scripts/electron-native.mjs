#!/usr/bin/env node
/**
 * Before `npm start`: builds Electron-ABI copies of the native modules (better-sqlite3,
 * hnswlib-node) under .electron-native/<electron version>/, which the dev app loads instead of
 * node_modules' Node-ABI builds (src-main/electron/native-modules.ts). node_modules stays built
 * for Node, so the CLI and the tests keep working. Once built, later starts skip this.
 *
 * Why not `electron-builder install-app-deps`: it rebuilds node_modules in place for Electron,
 * which breaks the CLI and the tests (they run under Node) until the next `npm rebuild`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const projectDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const modules = ['better-sqlite3', 'hnswlib-node'];
const electronDir = path.join(projectDir, 'node_modules', 'electron');

// Read Electron's own files rather than require('electron'): without its binary, that require
// tries to download it, which hangs on machines that cannot reach GitHub.
const pathFile = path.join(electronDir, 'path.txt');
const binary = fs.existsSync(pathFile)
  ? path.join(electronDir, 'dist', fs.readFileSync(pathFile, 'utf8').trim())
  : null;
if (!binary || !fs.existsSync(binary)) {
  process.stderr.write(
    [
      "Tend's desktop window needs Electron's binary, and it is not installed",
      '(it was skipped with ELECTRON_SKIP_BINARY_DOWNLOAD=1, or its download failed).',
      'Install it with `npx install-electron` (or reinstall without ELECTRON_SKIP_BINARY_DOWNLOAD),',
      'or use Tend without the window: `npm run build && npx tend serve --root DIR` (see README).',
      '',
    ].join('\n'),
  );
  process.exit(1);
}

const { version } = JSON.parse(fs.readFileSync(path.join(electronDir, 'package.json'), 'utf8'));
const target = path.join(projectDir, '.electron-native', version);
const marker = path.join(target, 'ready.json');
if (fs.existsSync(marker)) process.exit(0);

process.stderr.write(`Building ${modules.join(' and ')} for Electron ${version} (once)…\n`);
fs.rmSync(target, { recursive: true, force: true });
fs.mkdirSync(path.join(target, 'node_modules'), { recursive: true });
const dependencies = {};
for (const name of modules) {
  const from = path.join(projectDir, 'node_modules', name);
  const manifest = JSON.parse(fs.readFileSync(path.join(from, 'package.json'), 'utf8'));
  dependencies[name] = manifest.version;
  fs.cpSync(from, path.join(target, 'node_modules', name), {
    recursive: true,
    filter: (source) => !source.includes(`${path.sep}build${path.sep}`),
  });
}
fs.writeFileSync(
  path.join(target, 'package.json'),
  JSON.stringify({ name: 'tend-electron-native', private: true, dependencies }, null, 2),
);

const { rebuild } = await import('@electron/rebuild');
await rebuild({ buildPath: target, electronVersion: version, onlyModules: modules, force: true });
fs.writeFileSync(marker, JSON.stringify({ electron: version, modules, builtAt: new Date() }));
process.stderr.write(`Native modules ready for Electron ${version}.\n`);
