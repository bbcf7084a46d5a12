/**
 * Profiles (issue 10): how long detection takes on each profile's demo folder (goal: under
 * 0.2 s each), and on folders that are no assistant's (a home-like folder, an empty one,
 * another app's), which must say so in under a second.
 *
 * Two figures per folder, medians of alternated runs after a warm-up:
 * - detection alone: `detectProfile(folder)` in this process (the engine's call; the registry
 *   loaded once, as in the running app or `tend serve`);
 * - `tend profiles detect DIR --json` as a whole process, beside `node -e 0` in the same run
 *   (what a person waits for at the prompt; Node's own start-up is most of it).
 *
 * There is no standard tool that detects an assistant's folder, so detection alone is judged
 * against its goal, and the whole command against Node's start-up.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { detectProfile, profiles } from '../src-main/engine/profiles/registry';
import { alternate, compared } from './pairs';
import type { BenchSuite } from './suites';
import { benchCacheDir, log, round, scratchDir, timeCommand } from './support';

const projectDir = fileURLToPath(new URL('..', import.meta.url));
const tendBin = path.join(projectDir, 'bin', 'tend.mjs');
const PAIRS = 5;
const GOAL_SECONDS = 0.2;
const NOT_ASSISTANT_GOAL_SECONDS = 1;

/** A small demo of one profile, written once with the command line and kept in the cache. */
function profileDemo(id: string, env: NodeJS.ProcessEnv): string {
  const root = path.join(benchCacheDir, `profile-demo-${id}`);
  const done = `${root}.done`;
  if (fs.existsSync(done)) return root;
  fs.rmSync(root, { recursive: true, force: true });
  fs.mkdirSync(root, { recursive: true });
  log(`writing a small ${id} demo to ${root} (once; later runs reuse it)`);
  execFileSync(
    process.execPath,
    [tendBin, 'demo', '--profile', id, '--size', 'small', '--root', root],
    { env, stdio: 'ignore' },
  );
  fs.writeFileSync(done, new Date().toISOString());
  return root;
}

/** Folders that are no assistant's: a home-like tree, an empty folder, another app's folder. */
function notAssistantFolders(work: string): Record<string, string> {
  const home = path.join(work, 'home');
  for (const folder of ['Documents', 'Downloads', 'Pictures', '.config/some-editor', '.cache/x']) {
    fs.mkdirSync(path.join(home, folder), { recursive: true });
  }
  for (let i = 0; i < 2_000; i += 1) {
    fs.writeFileSync(path.join(home, 'Documents', `note-${i}.txt`), `note ${i}\n`);
  }
  fs.writeFileSync(path.join(home, '.bashrc'), 'export PATH=$PATH\n');
  const empty = path.join(work, 'empty');
  fs.mkdirSync(empty);
  const otherApp = path.join(work, 'node-project');
  fs.mkdirSync(path.join(otherApp, 'src'), { recursive: true });
  fs.writeFileSync(path.join(otherApp, 'package.json'), '{"name":"not-an-assistant"}\n');
  for (let i = 0; i < 200; i += 1) {
    fs.writeFileSync(path.join(otherApp, 'src', `module-${i}.js`), `export const x${i} = ${i};\n`);
  }
  return { home, empty, 'another app': otherApp };
}

/** Median seconds of `runs` in-process detections after one warm-up, with the verdict. */
async function detectionSeconds(folder: string): Promise<{ seconds: number; verdict: string }> {
  const first = await detectProfile(folder);
  const times: number[] = [];
  for (let i = 0; i < 9; i += 1) {
    const started = performance.now();
    await detectProfile(folder);
    times.push((performance.now() - started) / 1000);
  }
  times.sort((a, b) => a - b);
  const verdict = first.detected ?? 'not an assistant folder';
  return { seconds: times[Math.floor(times.length / 2)]!, verdict };
}

/** The profiles suite. */
export const profilesSuite: BenchSuite = {
  description:
    'profile detection on each profile demo (goal < 0.2 s) and on folders of no assistant (< 1 s)',
  async run() {
    const work = scratchDir('profiles');
    const env = { ...process.env, TEND_STATE_DIR: path.join(work, 'state'), TEND_ROOT: '' };
    const folders: Record<string, { folder: string; goal: number }> = {};
    for (const profile of profiles) {
      if (profile.id === 'postgres-app') continue; // its demo needs a running server
      folders[profile.id] = { folder: profileDemo(profile.id, env), goal: GOAL_SECONDS };
    }
    for (const [name, folder] of Object.entries(notAssistantFolders(work))) {
      folders[name] = { folder, goal: NOT_ASSISTANT_GOAL_SECONDS };
    }

    const figures: Record<string, unknown> = {};
    for (const [name, { folder, goal }] of Object.entries(folders)) {
      const alone = await detectionSeconds(folder);
      const runs = await alternate({
        label: `tend profiles detect (${name})`,
        pairs: PAIRS,
        warmups: 1,
        standard: () => timeCommand(process.execPath, ['-e', '0'], { env }),
        tend: () =>
          timeCommand(process.execPath, [tendBin, 'profiles', 'detect', folder, '--json'], {
            env,
          }),
        describe: (tend, node) =>
          `${Math.round(tend.seconds * 1000)} ms, node -e 0 ${Math.round(node.seconds * 1000)} ms`,
      });
      figures[name] = {
        verdict: alone.verdict,
        detectionSeconds: round(alone.seconds, 4),
        goalSeconds: goal,
        met: alone.seconds < goal,
        wholeCommandSeconds: compared(
          runs.tend.map((run) => run.seconds),
          runs.standard.map((run) => run.seconds),
        ),
      };
      log(`${name}: ${alone.verdict}, detection ${Math.round(alone.seconds * 1000)} ms`);
    }
    fs.rmSync(work, { recursive: true, force: true });
    return figures;
  },
};
