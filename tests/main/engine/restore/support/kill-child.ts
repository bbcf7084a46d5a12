/**
 * Runs one restore through a real engine in a child process and kills itself with SIGKILL at
 * a chosen point: `node --import tsx kill-child.ts <state dir> <root> <archive> <point>`, where
 * point is a restore step (`planned`, `snapshot`, `staged`, `swapping`, `swapped`, `validated`,
 * `committed`) or `swap:<n>` (after the n-th rename of the swap).
 */
import { Engine } from '../../../../../src-main/engine/engine';
import { restoreServiceFor } from '../../../../../src-main/engine/restore/restore-service';

const [stateDir, root, archive, point] = process.argv.slice(2) as [string, string, string, string];
const swapAt = point.startsWith('swap:') ? Number(point.slice(5)) : null;
const die = () => process.kill(process.pid, 'SIGKILL');

const engine = await Engine.start({ appStateDir: stateDir, root });
const session = engine.requireSession();
restoreServiceFor(session, engine, {
  onStep: (step, swapped) => {
    if (step === point || (step === 'swap-file' && swapped === swapAt)) die();
  },
});
const job = await engine.call('restore:apply', { backup: archive, scope: { kind: 'everything' } });
const finished = await session.jobs.wait(job.id);
process.stdout.write(`finished without being killed: ${JSON.stringify(finished.error)}\n`);
await engine.close();
