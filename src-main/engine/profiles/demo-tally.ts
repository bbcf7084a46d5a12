/**
 * The last step of every app profile's demo writer: count what it wrote (Tend's own folder left
 * out), report it as the job's final progress, and return the figures the demo answers with.
 */
import { TEND_DIR } from '../root/category-rules';
import { listFiles } from '../stores/list-files';
import type { ProfileDemoOptions } from './profile';

/** Files and bytes a demo wrote into `root`, reported once as done. */
export async function tallyDemo(
  root: string,
  onProgress: ProfileDemoOptions['onProgress'],
): Promise<{ files: number; bytes: number }> {
  const written = (await listFiles(root)).filter(
    (file) => file.path !== TEND_DIR && !file.path.startsWith(`${TEND_DIR}/`),
  );
  const bytes = written.reduce((sum, file) => sum + file.bytes, 0);
  onProgress({
    filesDone: written.length,
    filesTotal: written.length,
    bytesDone: bytes,
    bytesTotal: bytes,
    currentPath: null,
  });
  return { files: written.length, bytes };
}
