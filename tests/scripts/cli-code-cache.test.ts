/**
 * The code cache of the bundled command line (scripts/cli-code-cache.mjs): which cache a
 * command uses, and that only an intact file made for this bundle and this Node reaches V8.
 */
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import {
  cacheNameFor,
  readCodeCache,
  runWithCodeCache,
  writeCodeCache,
} from '../../scripts/cli-code-cache.mjs';
import { tempDir } from '../support/temp-dir';

const header = { node: process.version, arch: process.arch, sourceBytes: 120, sourceMtimeMs: 1.5 };
const data = new vm.Script('globalThis.answer = () => 42;').createCachedData();

describe('cacheNameFor', () => {
  it.each([
    [[], 'help'],
    [['--help'], 'help'],
    [['backup', 'create', '-h'], 'help'],
    [['info'], 'info'],
    [['--root', '/data', 'info', '--json'], 'info'],
    [['--json', 'backup', 'create'], 'backup'],
    [['--root', 'info'], 'help'],
    [['Info'], null],
    [['../x'], null],
    [['a'.repeat(41)], null],
  ])('%j uses the cache %j', (argv, name) => {
    expect(cacheNameFor(argv)).toBe(name);
  });
});

describe('readCodeCache and writeCodeCache', () => {
  it('give back the data written with the same header', () => {
    const file = path.join(tempDir(), 'code-cache', 'info.bin');
    writeCodeCache(file, header, data);
    expect(readCodeCache(file, header)).toEqual(data);
    expect(fs.readdirSync(path.dirname(file))).toEqual(['info.bin']);
  });

  it.each([
    ['another Node', { node: 'v0.0.1' }],
    ['another architecture', { arch: 'sparc' }],
    ['a bundle of another size', { sourceBytes: 121 }],
    ['a bundle of another time', { sourceMtimeMs: 2.5 }],
  ])('refuse a cache made for %s', (_label, change) => {
    const file = path.join(tempDir(), 'info.bin');
    writeCodeCache(file, header, data);
    expect(readCodeCache(file, { ...header, ...change })).toBeUndefined();
  });

  it('refuse a damaged, cut or foreign file, and a missing one', () => {
    const file = path.join(tempDir(), 'info.bin');
    expect(readCodeCache(file, header)).toBeUndefined();
    writeCodeCache(file, header, data);
    const intact = fs.readFileSync(file);

    const flipped = Buffer.from(intact);
    flipped[flipped.length - 10] = flipped[flipped.length - 10]! ^ 0xff;
    fs.writeFileSync(file, flipped);
    expect(readCodeCache(file, header)).toBeUndefined();

    fs.writeFileSync(file, intact.subarray(0, intact.length - 1));
    expect(readCodeCache(file, header)).toBeUndefined();

    fs.writeFileSync(file, intact.toString('latin1').replace('tend-v8-code-cache 1', 'other 1'));
    expect(readCodeCache(file, header)).toBeUndefined();

    fs.writeFileSync(file, 'tend-v8-code-cache 1\n{not json\n');
    expect(readCodeCache(file, header)).toBeUndefined();
  });

  it('leave a command alone when the folder cannot be written', () => {
    const blocker = path.join(tempDir(), 'out');
    fs.writeFileSync(blocker, '');
    expect(() =>
      writeCodeCache(path.join(blocker, 'code-cache', 'info.bin'), header, data),
    ).not.toThrow();
  });
});

describe('runWithCodeCache', () => {
  /** A bundle that records its arguments and answer in globalThis, in a folder of its own. */
  function bundle(): string {
    const entry = path.join(tempDir(), 'main.cjs');
    fs.writeFileSync(
      entry,
      "globalThis.ranWith = { file: __filename, answer: require('node:path').basename(__filename) };\n",
    );
    return entry;
  }

  it('runs the bundle as a CommonJS main script, with or without a usable cache', () => {
    const entry = bundle();
    const cacheFile = path.join(path.dirname(entry), 'code-cache', 'info.bin');
    const stat = fs.statSync(entry);
    const expected = {
      node: process.version,
      arch: process.arch,
      sourceBytes: stat.size,
      sourceMtimeMs: stat.mtimeMs,
    };
    // V8's data of another script under the right header: V8 refuses it, the bundle still runs.
    writeCodeCache(cacheFile, expected, data);
    const g = globalThis as { ranWith?: { file: string; answer: string } };
    delete g.ranWith;
    runWithCodeCache(entry, ['info']);
    expect(g.ranWith).toEqual({ file: entry, answer: 'main.cjs' });
    delete g.ranWith;
  });
});
