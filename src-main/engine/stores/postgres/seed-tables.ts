import type pg from 'pg';

/**
 * How much of seed 003's data to generate: users, their chats and messages, and their
 * measurements (the bot's "indicators and measurements").
 */
export interface SeedTablesSize {
  users: number;
  chatsPerUser: number;
  messagesPerChat: number;
  measurementsPerUser: number;
  /** Average message length in bytes; every 50th message is long enough to be TOASTed. */
  messageBytes: number;
  /** Varies the text; the same seed gives the same rows. */
  seed: number;
}

/** A few hundred kilobytes: for tests. */
export const SMALL_SEED_TABLES: SeedTablesSize = {
  users: 50,
  chatsPerUser: 4,
  messagesPerChat: 10,
  measurementsPerUser: 20,
  messageBytes: 200,
  seed: 1,
};

/**
 * A size whose database comes to about `targetBytes` on disk (tables, TOAST and indexes);
 * messages make most of it, as in a chat bot's database.
 */
export function seedTablesOfSize(targetBytes: number, seed = 1): SeedTablesSize {
  // Measured on PostgreSQL 15: 592,400 messages made 442 MB, about 750 bytes of database a
  // message with its share of TOAST, indexes and the other tables.
  const messages = Math.max(100, Math.round(targetBytes / 750));
  const users = Math.max(10, Math.round(messages / 400));
  return {
    users,
    chatsPerUser: 8,
    messagesPerChat: Math.max(1, Math.round(messages / users / 8)),
    measurementsPerUser: 200,
    messageBytes: 400,
    seed,
  };
}

/** The seed's schema: the four tables with their keys, constraints and indexes. */
export const SEED_SCHEMA_SQL = `
CREATE TABLE users (
  id bigserial PRIMARY KEY,
  email text NOT NULL UNIQUE,
  name text NOT NULL,
  created_at timestamptz NOT NULL,
  last_login_at timestamptz
);
CREATE TABLE chats (
  id bigserial PRIMARY KEY,
  user_id bigint NOT NULL REFERENCES users (id),
  title text NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE INDEX chats_user_id_idx ON chats (user_id);
CREATE TABLE messages (
  id bigserial PRIMARY KEY,
  chat_id bigint NOT NULL REFERENCES chats (id),
  role text NOT NULL CHECK (role IN ('user', 'assistant', 'system')),
  content text NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE INDEX messages_chat_id_idx ON messages (chat_id, created_at);
CREATE TABLE measurements (
  id bigserial PRIMARY KEY,
  user_id bigint NOT NULL REFERENCES users (id),
  indicator text NOT NULL,
  value double precision NOT NULL CHECK (value >= 0),
  unit text NOT NULL,
  measured_at timestamptz NOT NULL
);
CREATE INDEX measurements_user_indicator_idx ON measurements (user_id, indicator, measured_at);
`;

/** Row counts a generated database holds. */
export interface SeedTablesCounts {
  users: number;
  chats: number;
  messages: number;
  measurements: number;
}

/** The row counts `generateSeedTables` writes for a size. */
export function seedTablesCounts(size: SeedTablesSize): SeedTablesCounts {
  const chats = size.users * size.chatsPerUser;
  return {
    users: size.users,
    chats,
    messages: chats * size.messagesPerChat,
    measurements: size.users * size.measurementsPerUser,
  };
}

/**
 * Creates seed 003's tables in the connected (empty) database and fills them, deterministically,
 * on the server (generate_series), so half a gigabyte takes seconds, not a client round-trip
 * a row. Messages are written in batches and `onProgress` hears the rows done.
 */
export async function generateSeedTables(
  client: pg.Client,
  size: SeedTablesSize,
  onProgress: (progress: { rowsDone: number; rowsTotal: number }) => void = () => {},
): Promise<SeedTablesCounts> {
  const counts = seedTablesCounts(size);
  const total = counts.users + counts.chats + counts.messages + counts.measurements;
  let done = 0;
  const seed = Number(size.seed);
  await client.query(SEED_SCHEMA_SQL);
  await client.query(
    `INSERT INTO users (email, name, created_at, last_login_at)
     SELECT 'user' || i || '@example.org', 'User ' || substr(md5($1::text || ':u:' || i), 1, 10),
            timestamptz '2024-01-01' + (i || ' minutes')::interval,
            CASE WHEN i % 3 = 0 THEN NULL ELSE timestamptz '2024-06-01' + (i || ' seconds')::interval END
       FROM generate_series(1, $2::int) AS i`,
    [seed, counts.users],
  );
  done += counts.users;
  onProgress({ rowsDone: done, rowsTotal: total });
  await client.query(
    `INSERT INTO chats (user_id, title, created_at)
     SELECT 1 + (i - 1) % $2::int, 'Chat ' || substr(md5($1::text || ':c:' || i), 1, 16),
            timestamptz '2024-02-01' + (i || ' seconds')::interval
       FROM generate_series(1, $3::int) AS i`,
    [seed, counts.users, counts.chats],
  );
  done += counts.chats;
  onProgress({ rowsDone: done, rowsTotal: total });
  // Text from md5s: short messages repeat one line, long ones (every 50th) are all distinct
  // hex, so TOAST keeps them out of line as it would real long answers.
  const batch = 200_000;
  for (let first = 1; first <= counts.messages; first += batch) {
    const last = Math.min(counts.messages, first + batch - 1);
    await client.query(
      `INSERT INTO messages (chat_id, role, content, created_at)
       SELECT 1 + (i - 1) % $2::int,
              (ARRAY['user', 'assistant', 'system'])[1 + i % 3],
              CASE WHEN i % 50 = 0
                   THEN (SELECT string_agg(md5($1::text || ':l:' || i || ':' || k), '')
                           FROM generate_series(1, $3::int * 12 / 32) AS k)
                   ELSE substr(repeat(md5($1::text || ':m:' || i) || md5(i || ':' || $1::text) || ' ',
                                      1 + $3::int * 3 / 2 / 65),
                               1, $3::int / 2 + ((i::bigint * 7919) % $3::int)::int)
              END,
              timestamptz '2024-03-01' + (i || ' seconds')::interval
         FROM generate_series($4::int, $5::int) AS i`,
      [seed, counts.chats, size.messageBytes, first, last],
    );
    done += last - first + 1;
    onProgress({ rowsDone: done, rowsTotal: total });
  }
  await client.query(
    `INSERT INTO measurements (user_id, indicator, value, unit, measured_at)
     SELECT 1 + (i - 1) % $2::int,
            (ARRAY['co2_saved', 'water_saved', 'volunteer_hours', 'trees_planted'])[1 + i % 4],
            (('x' || substr(md5($1::text || ':v:' || i), 1, 7))::bit(28)::int % 100000) / 100.0,
            (ARRAY['kg', 'l', 'h', 'count'])[1 + i % 4],
            timestamptz '2024-01-01' + (i || ' minutes')::interval
       FROM generate_series(1, $3::int) AS i`,
    [seed, counts.users, counts.measurements],
  );
  done += counts.measurements;
  onProgress({ rowsDone: done, rowsTotal: total });
  await client.query('ANALYZE');
  return counts;
}
