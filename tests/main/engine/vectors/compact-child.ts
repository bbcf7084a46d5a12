/**
 * A separate process that compacts one collection and says when the worker is building, so a
 * test can SIGKILL it midway. Run: node --import tsx compact-child.ts <appStateDir> <root> <collection>
 */
import { Engine } from '../../../../src-main/engine/engine';

const [appStateDir, root, collection] = process.argv.slice(2) as [string, string, string];
const engine = await Engine.start({ appStateDir, root });
let told = false;
engine.events.on('job:progress', (job) => {
  if (!told && job.kind === 'vectors-compact' && job.progress.filesDone > 0) {
    told = true;
    process.stdout.write('building\n');
  }
});
const job = await engine.call('vectors:compact', { collection });
await engine.requireSession().jobs.wait(job.id);
process.stdout.write('finished\n');
await engine.close();
