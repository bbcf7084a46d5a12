/**
 * A small demo data folder generated once per test file and copied for each test, an engine
 * on it with its own Tend state folder, and a small tmpfs mounted as "the other disk" where
 * this machine lets tests mount one (root on Linux); else a folder on the same disk.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateDemo } from '../../../../../src-main/engine/demo/demo-generator';
import { Engine } from '../../../../../src-main/engine/engine';
import { tempDir } from '../../../../support/temp-dir';

let template: Promise<string> | null = null;

/** The small demo, generated once per process into a folder removed at exit. */
export function moveTemplate(): Promise<string> {
  template ??= (async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tend-move-demo-'));
    process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
    await generateDemo({
      root: dir,
      size: 'small',
      seed: 3,
      signal: new AbortController().signal,
      onProgress() {},
    });
    return dir;
  })();
  return template;
}

/** Mounts a tmpfs of `megabytes` at a new folder under `base` (options like `ro`); null when not allowed. */
export function mountTmpfs(base: string, megabytes: number, extra: string[] = []): string | null {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return null;
  const at = path.join(base, `disk-${megabytes}m${extra.length ? `-${extra.join('-')}` : ''}`);
  fs.mkdirSync(at);
  try {
    execFileSync(
      'mount',
      ['-t', 'tmpfs', '-o', [`size=${megabytes}m`, ...extra].join(','), 'tmpfs', at],
      {
        stdio: 'ignore',
      },
    );
  } catch {
    fs.rmdirSync(at);
    return null;
  }
  mounted.push(at);
  return at;
}

const mounted: string[] = [];

/** Unmounts what `mountTmpfs` mounted (call in afterEach, before the temp folders go). */
export function unmountAll(): void {
  for (const at of mounted.splice(0)) {
    try {
      execFileSync('umount', ['-l', at], { stdio: 'ignore' });
    } catch {
      // Already gone.
    }
  }
}

/** A copy of the demo, the state folder, and an engine on it. */
export interface MoveFixture {
  base: string;
  root: string;
  state: string;
  /** A folder on another filesystem (a tmpfs) when one can be mounted, else on this one. */
  otherDisk: string;
  otherIsTmpfs: boolean;
  engine: Engine;
}

/** A fresh fixture; `diskMegabytes` sizes the other disk. */
export async function moveFixture(diskMegabytes = 128): Promise<MoveFixture> {
  const base = tempDir('tend-move-');
  const root = path.join(base, 'assistant');
  fs.cpSync(await moveTemplate(), root, { recursive: true, preserveTimestamps: true });
  const state = path.join(base, 'state');
  const mountedDisk = mountTmpfs(base, diskMegabytes);
  const otherDisk = mountedDisk ?? path.join(base, 'other');
  if (!mountedDisk) fs.mkdirSync(otherDisk);
  const engine = await Engine.start({ appStateDir: state, root });
  return { base, root, state, otherDisk, otherIsTmpfs: mountedDisk !== null, engine };
}

/** Every file of a folder (Tend's `.tend/` left out) with its SHA-256, mode and mtime; links by their text. */
export function fingerprint(root: string, withTimes = true): string[] {
  const out: string[] = [];
  const walk = (relative: string) => {
    for (const name of fs.readdirSync(path.join(root, relative)).sort()) {
      const child = relative ? `${relative}/${name}` : name;
      if (child === '.tend') continue;
      const absolute = path.join(root, child);
      const stat = fs.lstatSync(absolute);
      const mode = (stat.mode & 0o7777).toString(8);
      if (stat.isDirectory()) {
        out.push(`d ${child} ${mode}`);
        walk(child);
      } else if (stat.isSymbolicLink()) {
        out.push(`l ${child} ${fs.readlinkSync(absolute)}`);
      } else {
        const hash = createHash('sha256').update(fs.readFileSync(absolute)).digest('hex');
        out.push(`f ${child} ${mode} ${hash}${withTimes ? ` ${Math.round(stat.mtimeMs)}` : ''}`);
      }
    }
  };
  walk('');
  return out;
}
