/**
 * Start-up: how long a person waits for `tend` before it does anything, against `node -e 0`
 * (Node starting and stopping, nothing else) in the same run, whole processes under GNU time.
 *
 * - `tend --help`: the command line alone. Goals: at most 2 times `node -e 0`'s wall time, at
 *   most 70 MB peak RSS.
 * - `tend info` on the small demo: the engine loaded, started on a root, three channels read
 *   and closed. Goal: at most 4 times `node -e 0`.
 *
 * Tend runs through bin/tend.mjs, the bundle npm run bench builds first; the suite refuses to
 * measure the slower fallback through tsx. The warm-ups leave each command's code cache in
 * out/cli/code-cache (scripts/cli-code-cache.mjs), as a person's first run of it does: the
 * pairs measure the starts that follow.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cliBuildState } from '../scripts/cli-build-state.mjs';
import { alternate, compared } from './pairs';
import type { BenchSuite } from './suites';
import { demoRoot, scratchDir, timeCommand, type Measured } from './support';

const projectDir = fileURLToPath(new URL('..', import.meta.url));
const tendBin = path.join(projectDir, 'bin', 'tend.mjs');
const PAIRS = 7;
const GOALS = { helpVsNode: 2, helpPeakRssBytes: 70 * 1024 * 1024, infoVsNode: 4 };

const ms = (measured: Measured) => `${Math.round(measured.seconds * 1000)} ms`;

/** `tend …` and `node -e 0` by turns; Tend's wall time, CPU time and RSS against Node's. */
async function versusNode(label: string, args: ReadonlyArray<string>, env: NodeJS.ProcessEnv) {
  const runs = await alternate({
    label,
    pairs: PAIRS,
    warmups: 2,
    standard: () => timeCommand(process.execPath, ['-e', '0'], { env }),
    tend: () => timeCommand(process.execPath, [tendBin, ...args], { env }),
    describe: (tend, node) => `tend ${ms(tend)}, node -e 0 ${ms(node)}`,
  });
  const of = (key: keyof Measured) => [
    runs.tend.map((run) => run[key]),
    runs.standard.map((run) => run[key]),
  ];
  const [tendWall, nodeWall] = of('seconds');
  const [tendCpu, nodeCpu] = of('cpuSeconds');
  const [tendRss, nodeRss] = of('maxRssBytes');
  return {
    wallSeconds: compared(tendWall!, nodeWall!),
    cpuSeconds: compared(tendCpu!, nodeCpu!),
    peakRssBytes: compared(tendRss!, nodeRss!),
  };
}

/** The startup suite. */
export const startupSuite: BenchSuite = {
  description: 'tend --help and tend info (small demo) vs node -e 0: wall time and peak RSS',
  async run() {
    const state = cliBuildState(projectDir);
    if (!state.fresh) throw new Error(`The bundled command line cannot run: ${state.reason}.`);
    const work = scratchDir('startup');
    const root = path.join(work, 'root');
    // `tend info` writes Tend's catalog into the root: measure a copy, the cached tree stays clean.
    execFileSync('cp', ['-a', await demoRoot('small'), root]);
    fs.rmSync(path.join(root, '.tend'), { recursive: true, force: true });
    const env = { ...process.env, TEND_STATE_DIR: path.join(work, 'state'), TEND_ROOT: '' };

    const help = await versusNode('tend --help', ['--help'], env);
    const info = await versusNode('tend info', ['info', '--root', root], env);
    fs.rmSync(work, { recursive: true, force: true });

    const helpRss = help.peakRssBytes.tend.median;
    return {
      help,
      info,
      goals: {
        helpVsNode: {
          goal: GOALS.helpVsNode,
          ratio: help.wallSeconds.ratio.median,
          met: help.wallSeconds.ratio.median <= GOALS.helpVsNode,
        },
        helpPeakRssBytes: {
          goal: GOALS.helpPeakRssBytes,
          value: helpRss,
          met: helpRss <= GOALS.helpPeakRssBytes,
        },
        infoVsNode: {
          goal: GOALS.infoVsNode,
          ratio: info.wallSeconds.ratio.median,
          met: info.wallSeconds.ratio.median <= GOALS.infoVsNode,
        },
      },
      note: `${PAIRS} pairs after 2 warm-ups (which write the code cache), node -e 0 then tend; ratios are pair by pair, their median with min and max`,
    };
  },
};
