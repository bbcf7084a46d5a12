/**
 * The postgres-app demo: seed 003's folder (compose files and `.env` naming the database,
 * the seed's backup and migration scripts with two migrations, uploads, logs, Redis data),
 * the same bytes for the same seed. The database lives on a server: with
 * TEND_DEMO_DATABASE_URL set (password in PGPASSWORD, if any) the demo fills that database,
 * which must have no tables yet, with the seed's tables; without it the demo says so.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { TendFailure } from '../../../../src-shared/errors';
import type { DemoSize } from '../../../../src-shared/models/demo';
import { createByteStream, SeededRandom } from '../../demo/random';
import { resolveConnection, withClient } from '../../stores/postgres/connection';
import { describeConnection } from '../../stores/postgres/connection-url';
import {
  generateSeedTables,
  seedTablesOfSize,
  SMALL_SEED_TABLES,
  type SeedTablesSize,
} from '../../stores/postgres/seed-tables';
import type { ProfileDemo, ProfileDemoOptions } from '../profile';
import { postgresAppPaths as p } from './postgres-app-paths';

/** The variable that hands the demo a database to fill. */
export const DEMO_DATABASE_VARIABLE = 'TEND_DEMO_DATABASE_URL';

/** The URL the demo's `.env` names when it was given no database. */
export const DEMO_DEFAULT_URL = 'postgresql://postgres@localhost:5432/impactbot_v2';

const uploadsBySize: Record<DemoSize, { files: number; meanBytes: number }> = {
  small: { files: 40, meanBytes: 48 * 1024 },
  medium: { files: 400, meanBytes: 160 * 1024 },
  large: { files: 2000, meanBytes: 256 * 1024 },
};

const tablesBySize: Record<DemoSize, SeedTablesSize> = {
  small: SMALL_SEED_TABLES,
  medium: seedTablesOfSize(50 * 1024 * 1024),
  large: seedTablesOfSize(500 * 1024 * 1024),
};

/** The folder's small text files, by root-relative path. */
export function demoTextFiles(url: string): Record<string, string> {
  return {
    [p.compose]: `services:
  backend:
    image: impactbot/backend:2.4
    env_file: .env
    environment:
      - DATABASE_URL=${url}
      - REDIS_URL=redis://redis:6379/0
    volumes:
      - ./backend/uploads:/app/uploads
      - ./backend/logs:/app/logs
    depends_on: [database, redis]
  database:
    image: postgres:15
    environment:
      - POSTGRES_DB=impactbot_v2
    volumes:
      - postgres_prod_data:/var/lib/postgresql/data
  redis:
    image: redis:7
    volumes:
      - ./redis/data:/data
volumes:
  postgres_prod_data:
`,
    [p.composeOverride]: `services:
  database:
    volumes:
      - postgres_dev_data:/var/lib/postgresql/data
volumes:
  postgres_dev_data:
`,
    [p.env]: `# The bot's settings. The database password is not kept here: set PGPASSWORD.
DATABASE_URL=${url}
REDIS_URL=redis://localhost:6379/0
UPLOAD_DIR=./backend/uploads
`,
    [p.backupScript]: `#!/bin/sh
# The seed's backup script (backup | backup_db | list | restore_db); Tend does this now.
echo "Use: tend pg backup --kind full | --kind database, tend pg list, tend pg restore BACKUP"
`,
    [p.migrationScript]: `#!/bin/sh
# The seed's migration script (create | apply | check); Tend does this now.
echo "Use: tend pg migrate apply database/migrations, tend pg migrate check"
`,
    [`${p.migrations}/001_add_user_locale.sql`]:
      "ALTER TABLE users ADD COLUMN IF NOT EXISTS locale text NOT NULL DEFAULT 'en';\n",
    [`${p.migrations}/002_index_messages_created.sql`]:
      'CREATE INDEX IF NOT EXISTS messages_created_at_idx ON messages (created_at);\n',
    [`${p.scripts}/validate-deployment.sh`]: '#!/bin/sh\ncurl -fsS http://localhost:8000/health\n',
  };
}

async function writeFile(root: string, relative: string, data: string | Buffer, mode = 0o644) {
  const file = path.join(root, ...relative.split('/'));
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, data, { mode });
}

/** Fills the database the variable names (it must have no tables yet); its table counts. */
async function fillDatabase(
  url: string,
  size: DemoSize,
  seed: number,
  onRows: (rowsDone: number, rowsTotal: number) => void,
): Promise<{ database: string; rows: number }> {
  const connection = await resolveConnection(
    {
      url,
      password: process.env.PGPASSWORD ? { from: 'env', variable: 'PGPASSWORD' } : { from: 'none' },
    },
    process.env,
  );
  return withClient(connection, 'demo', async (client) => {
    const { rows } = await client.query<{ n: string }>(
      `SELECT count(*) AS n FROM pg_tables WHERE schemaname = 'public'`,
    );
    if (Number(rows[0]?.n ?? 0) > 0) {
      throw new TendFailure(
        'INVALID_INPUT',
        `The demo fills only an empty database, and ${describeConnection(connection.params)} has tables. Create a new one (createdb) and name it in ${DEMO_DATABASE_VARIABLE}.`,
      );
    }
    const counts = await generateSeedTables(client, { ...tablesBySize[size], seed }, (progress) =>
      onRows(progress.rowsDone, progress.rowsTotal),
    );
    return {
      database: connection.params.database,
      rows: counts.users + counts.chats + counts.messages + counts.measurements,
    };
  });
}

async function writeDemo(options: ProfileDemoOptions) {
  const { root, size, seed, signal, onProgress } = options;
  const given = process.env[DEMO_DATABASE_VARIABLE] || null;
  const url = given ?? DEMO_DEFAULT_URL;
  let files = 0;
  let bytes = 0;
  const count = (data: string | Buffer) => {
    files += 1;
    bytes += Buffer.byteLength(data);
  };
  for (const [relative, text] of Object.entries(demoTextFiles(url))) {
    await writeFile(root, relative, text, relative.endsWith('.sh') ? 0o755 : 0o644);
    count(text);
  }
  const rng = new SeededRandom(`postgres-app/${seed}`);
  const plan = uploadsBySize[size];
  const totalBytes = plan.files * plan.meanBytes;
  for (let i = 0; i < plan.files; i++) {
    signal.throwIfAborted();
    const user = 1 + rng.int(0, 49);
    const kind = rng.pick(['pdf', 'png', 'csv', 'docx'] as const);
    const length = Math.max(512, Math.round(plan.meanBytes * (0.25 + rng.next() * 1.5)));
    const data = createByteStream(`postgres-app/${seed}/upload/${i}`)(length);
    await writeFile(
      root,
      `${p.uploads}/user-${user}/upload-${String(i + 1).padStart(5, '0')}.${kind}`,
      data,
    );
    count(data);
    onProgress({ bytesDone: bytes, bytesTotal: totalBytes, filesDone: files, currentPath: null });
  }
  const log = Array.from(
    { length: 200 },
    (_, i) =>
      `2026-01-0${1 + (i % 9)}T10:${String(i % 60).padStart(2, '0')}:00Z INFO request ${i} ok`,
  ).join('\n');
  for (const name of ['backend.log', 'backend.log.1', 'worker.log']) {
    await writeFile(root, `${p.logs}/${name}`, `${log}\n`);
    count(log);
  }
  const rdb = createByteStream(`postgres-app/${seed}/redis`)(64 * 1024);
  await writeFile(root, `${p.redisData}/dump.rdb`, rdb);
  count(rdb);

  let database: { database: string; rows: number } | null = null;
  if (given) {
    onProgress({ message: `Filling the database ${given}` });
    database = await fillDatabase(given, size, seed, (rowsDone, rowsTotal) =>
      onProgress({ message: `Filling the database: ${rowsDone} of ${rowsTotal} rows` }),
    );
  }
  return {
    root,
    files,
    bytes,
    database,
    note: given
      ? `The database ${database?.database} holds the seed's tables (${database?.rows} rows). Point Tend at it: tend pg connect ${url} --password-env PGPASSWORD.`
      : `The database side needs a PostgreSQL server: the folder names ${DEMO_DEFAULT_URL}, which this demo did not create. To have the demo fill one, create an empty database and run it again with ${DEMO_DATABASE_VARIABLE}=postgresql://USER@HOST:PORT/DATABASE (and PGPASSWORD).`,
  };
}

/** Writes seed 003's folder, and fills a database when one is given. */
export const postgresAppDemo: ProfileDemo = { write: writeDemo };
