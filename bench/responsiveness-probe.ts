/**
 * Asks the web host a small question again and again, from a process of its own, and
 * prints how long each answer took: `node --import tsx bench/responsiveness-probe.ts PORT
 * TOKEN`. It stops when its stdin closes and then prints the times, in milliseconds, as JSON.
 *
 * A process of its own, so the time is the host's answer as a browser sees it, not this
 * probe waiting on the loop it measures.
 */
import { TOKEN_HEADER } from '../src-shared/security';

const PAUSE_MS = 20;

const [port, token] = process.argv.slice(2);
if (!port || !token) {
  process.stderr.write('usage: responsiveness-probe.ts PORT TOKEN\n');
  process.exit(2);
}
let stopped = false;
process.stdin.on('data', () => undefined);
process.stdin.on('end', () => {
  stopped = true;
});
process.stdout.write('ready\n');

const times: number[] = [];
while (!stopped) {
  const started = performance.now();
  const response = await fetch(`http://127.0.0.1:${port}/api/root:info`, {
    method: 'POST',
    headers: { [TOKEN_HEADER]: token, 'content-type': 'application/json' },
    body: '{}',
  });
  await response.arrayBuffer();
  if (!response.ok) throw new Error(`root:info answered ${response.status}`);
  times.push(performance.now() - started);
  await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
}
process.stdout.write(`${JSON.stringify(times)}\n`);
