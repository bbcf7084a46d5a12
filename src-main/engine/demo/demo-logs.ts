import zlib from 'node:zlib';
import { nativePaths } from '../profiles/native/native-paths';
import type { DemoProfile } from './demo-profile';
import { ipAddress } from './demo-text';
import { DAY_MS, daysBefore, isoDay } from './demo-time';
import { fillLines, lazyFile, textFile, type PlannedFile } from './demo-files';
import type { SeededRandom } from './random';

/** Rotated logs younger than this stay plain; older ones are gzipped, as logrotate does. */
const PLAIN_DAYS = 14;

const components = [
  'rag.engine',
  'ingest',
  'embedder',
  'vector_store',
  'api',
  'scheduler',
  'cache',
  'chat',
];
const routes = [
  '/v1/chat/completions',
  '/v1/embeddings',
  '/v1/ingest/file',
  '/v1/chunks',
  '/health',
  '/v1/completions',
  '/v1/ingest/list',
];
const agents = [
  'Mozilla/5.0 (X11; Linux x86_64) Firefox/131.0',
  'python-requests/2.32.3',
  'curl/8.5.0',
  'internal-assistant-ui/0.6.0',
];
const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

type LogKind = 'app' | 'access' | 'error';

/** An endless clock over a time window, advancing by random gaps. */
function clock(rng: SeededRandom, from: Date, to: Date, expectedLines: number): () => Date {
  const span = to.getTime() - from.getTime();
  const meanGap = span / Math.max(1, expectedLines);
  let t = from.getTime();
  return () => {
    t = Math.min(to.getTime() - 1, t + Math.round(-Math.log(1 - rng.next()) * meanGap));
    return new Date(t);
  };
}

function appLine(rng: SeededRandom, at: Date): string {
  const level = rng.weighted([
    ['INFO ', 80],
    ['DEBUG', 12],
    ['WARN ', 6],
    ['ERROR', 2],
  ] as const);
  const component = rng.pick(components);
  // Pick the template first: building all of them to keep one costs seven times the work.
  const templates: ReadonlyArray<() => string> = [
    () =>
      `Retrieved ${rng.int(1, 12)} chunks in ${rng.int(4, 240)} ms (ef=${rng.pick([50, 64, 100])})`,
    () => `Ingested document doc_${rng.hex(16)} (${rng.int(1, 40)} chunks)`,
    () => `Embedding batch of ${rng.int(8, 64)} texts took ${rng.int(20, 900)} ms`,
    () =>
      `Session s_${rng.hex(8)} answered in ${rng.int(300, 9000)} ms, ${rng.int(80, 2400)} tokens`,
    () => `Cache hit ratio ${rng.int(60, 99)}% over the last ${rng.int(5, 60)} minutes`,
    () => `Scheduled job compact-logs finished in ${rng.int(1, 30)} s`,
    () => `Loaded model all-MiniLM-L6-v2 on cpu in ${rng.int(400, 3000)} ms`,
  ];
  const message = rng.pick(templates)();
  return `${at.toISOString()} ${level} [${component}] ${message}`;
}

function errorLines(rng: SeededRandom, at: Date): string {
  const error = rng.pick([
    'TimeoutError: model did not answer within 60 s',
    'sqlite3.OperationalError: database is locked',
    'FileNotFoundError: [Errno 2] No such file or directory: local_data/internal_assistant/vector_store/tmp',
    'ValueError: embedding dimension 768 does not match collection dimension 384',
    'ConnectionResetError: [Errno 104] Connection reset by peer',
  ]);
  const head = `${at.toISOString()} ERROR [${rng.pick(components)}] Request failed: ${error.split(':')[0] ?? error}`;
  if (!rng.chance(0.6)) return head;
  const frames = [
    'Traceback (most recent call last):',
    `  File "/app/internal_assistant/server/chat/chat_service.py", line ${rng.int(40, 400)}, in stream_chat`,
    `  File "/app/internal_assistant/components/vector_store/vector_store_component.py", line ${rng.int(20, 300)}, in query`,
    error,
  ];
  return [head, ...frames].join('\n');
}

function accessLine(rng: SeededRandom, at: Date): string {
  const iso = at.toISOString();
  const stamp = `${iso.slice(8, 10)}/${months[at.getUTCMonth()] ?? 'Jan'}/${iso.slice(0, 4)}:${iso.slice(11, 19)} +0000`;
  const status = rng.weighted([
    [200, 90],
    [201, 3],
    [400, 2],
    [401, 1],
    [404, 2],
    [500, 1],
    [504, 1],
  ] as const);
  const method = rng.chance(0.7) ? 'POST' : 'GET';
  return `${ipAddress(rng)} - - [${stamp}] "${method} ${rng.pick(routes)} HTTP/1.1" ${status} ${rng.int(120, 48_000)} "-" "${rng.pick(agents)}" ${rng.int(3, 9000)}ms`;
}

const averageLine: Record<LogKind, number> = { app: 110, access: 150, error: 220 };

function renderLog(rng: SeededRandom, kind: LogKind, bytes: number, from: Date, to: Date): Buffer {
  const at = clock(rng, from, to, bytes / averageLine[kind]);
  const line = kind === 'app' ? appLine : kind === 'access' ? accessLine : errorLines;
  return fillLines(bytes, () => line(rng, at()));
}

/**
 * Plans local_data/logs/: the live app, error and access logs, `logDays` of dated rotations
 * (gzipped after two weeks, error logs weekly) with mtimes on their dates, numbered debug
 * rotations, and the legacy `data/logs/app.log`.
 */
export function planLogs(rng: SeededRandom, profile: DemoProfile, now: Date): PlannedFile[] {
  const files: PlannedFile[] = [];
  const dir = nativePaths.logs;
  const sizeFor = (kind: LogKind, r: SeededRandom) => {
    const base =
      kind === 'app'
        ? profile.appLogBytes
        : kind === 'access'
          ? profile.accessLogBytes
          : profile.errorLogBytes;
    return Math.max(256, Math.round(r.logNormal(base, 0.3)));
  };

  // The live files, written to until a few minutes ago.
  for (const kind of ['app', 'error', 'access'] as const) {
    const r = rng.fork(`live/${kind}`);
    const bytes = Math.round(sizeFor(kind, r) * (kind === 'error' ? 0.2 : 0.5));
    const modified = daysBefore(now, r.int(1, 30) / 1440);
    files.push(
      lazyFile(`${dir}/${kind}.log`, bytes, modified, () =>
        renderLog(r.fork('body'), kind, bytes, daysBefore(now, 0.45), modified),
      ),
    );
  }
  for (let n = 1; n <= 3; n++) {
    const r = rng.fork(`debug/${n}`);
    const bytes = sizeFor('app', r);
    const modified = daysBefore(now, n - r.next() * 0.5);
    files.push(
      lazyFile(`${dir}/debug.log.${n}`, bytes, modified, () =>
        renderLog(r.fork('body'), 'app', bytes, daysBefore(modified, 1), modified),
      ),
    );
  }

  const midnight = new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS);
  for (let d = 1; d <= profile.logDays; d++) {
    const dayStart = new Date(midnight.getTime() - d * DAY_MS);
    const dayEnd = new Date(dayStart.getTime() + DAY_MS);
    // Renaming and gzip keep the mtime: it is the last line's time, just before midnight.
    const kinds: LogKind[] = d % 7 === 0 ? ['app', 'access', 'error'] : ['app', 'access'];
    for (const kind of kinds) {
      const r = rng.fork(`${kind}/${d}`);
      const rotated = new Date(dayEnd.getTime() - r.int(1, 300) * 1000);
      const bytes = sizeFor(kind, r);
      const from = kind === 'error' ? new Date(dayEnd.getTime() - 7 * DAY_MS) : dayStart;
      const name = `${dir}/${kind}-${isoDay(dayStart)}.log`;
      if (d <= PLAIN_DAYS) {
        files.push(
          lazyFile(name, bytes, rotated, () =>
            renderLog(r.fork('body'), kind, bytes, from, rotated),
          ),
        );
      } else {
        const raw = renderLog(r.fork('body'), kind, bytes, from, rotated);
        files.push(textFile(`${name}.gz`, zlib.gzipSync(raw, { level: 6 }), rotated));
      }
    }
  }

  // The old layout's log, untouched since the move to local_data/.
  const r = rng.fork('legacy');
  const legacyEnd = daysBefore(now, 400 + r.int(0, 60));
  const legacyBytes = sizeFor('app', r) * 3;
  files.push(
    lazyFile(`${nativePaths.legacyData}/logs/app.log`, legacyBytes, legacyEnd, () =>
      renderLog(r.fork('body'), 'app', legacyBytes, daysBefore(legacyEnd, 30), legacyEnd),
    ),
  );
  return files;
}
