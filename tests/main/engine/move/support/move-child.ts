/**
 * Runs one move step through a real engine in a child process, for the SIGKILL tests:
 * `node --import tsx move-child.ts <state dir> <apply TARGET | back | forget>`, with
 * TEND_FAULT_POINT (and TEND_FAULT_SKIP) naming where it kills itself (maintenance/fault-point.ts).
 */
import { Engine } from '../../../../../src-main/engine/engine';

const [stateDir, action, target] = process.argv.slice(2) as [string, string, string | undefined];
const engine = await Engine.start({ appStateDir: stateDir });
const session = engine.requireSession();
if (action === 'forget') {
  await engine.call('move:forget-old');
  process.stdout.write('finished without being killed\n');
} else {
  const job =
    action === 'back'
      ? await engine.call('move:back')
      : await engine.call('move:apply', { target: target! });
  const finished = await session.jobs.wait(job.id);
  process.stdout.write(`finished without being killed: ${JSON.stringify(finished.error)}\n`);
}
await engine.close();
