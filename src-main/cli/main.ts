import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from './cli';

const here = path.dirname(fileURLToPath(import.meta.url));

const stopSignal = new Promise<string>((resolve) => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => resolve(signal));
});

const code = await runCli(process.argv.slice(2), {
  rendererDir: path.resolve(here, '../../out/renderer'),
  stopSignal,
});
process.exit(code);
