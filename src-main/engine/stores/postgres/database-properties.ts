import type pg from 'pg';

/**
 * What a database has besides its contents, which pg_dump keeps only for `--create` and a
 * restore into a new database would otherwise lose: locale and encoding (set at creation),
 * owner, connection limit, per-database settings (`ALTER DATABASE … SET`) and privileges
 * (`GRANT CONNECT …`).
 */
export interface DatabaseProperties {
  owner: string;
  encoding: string;
  collate: string;
  ctype: string;
  /** `icu` or `libc` (PostgreSQL 15 and later), and the ICU locale when `icu`. */
  localeProvider: 'icu' | 'libc' | null;
  icuLocale: string | null;
  connectionLimit: number;
  comment: string | null;
  /** `ALTER DATABASE … [IN ROLE role] SET name = value`, as the catalog keeps them. */
  settings: Array<{ role: string | null; setting: string }>;
  /** The privilege list, or null for the defaults. */
  grants: Array<{ grantee: string | null; privilege: string; grantable: boolean }> | null;
}

/** The properties of `database`, or null when it does not exist. */
export async function readDatabaseProperties(
  client: pg.Client,
  database: string,
): Promise<DatabaseProperties | null> {
  // to_jsonb of the row: the catalog's columns differ between versions (daticulocale,
  // datlocale), and this reads whichever are there.
  const found = await client.query<{
    row: Record<string, unknown>;
    owner: string;
    encoding: string;
    comment: string | null;
  }>(
    `SELECT to_jsonb(d) AS row, pg_get_userbyid(d.datdba) AS owner,
            pg_encoding_to_char(d.encoding) AS encoding,
            shobj_description(d.oid, 'pg_database') AS comment
       FROM pg_database d WHERE d.datname = $1`,
    [database],
  );
  const first = found.rows[0];
  if (!first) return null;
  const row = first.row;
  const text = (key: string) => (typeof row[key] === 'string' ? (row[key] as string) : null);
  const provider = text('datlocprovider');
  const settings = await client.query<{ role: string | null; setting: string }>(
    `SELECT CASE WHEN s.setrole = 0 THEN NULL ELSE pg_get_userbyid(s.setrole) END AS role,
            unnest(s.setconfig) AS setting
       FROM pg_db_role_setting s JOIN pg_database d ON d.oid = s.setdatabase
      WHERE d.datname = $1`,
    [database],
  );
  let grants: DatabaseProperties['grants'] = null;
  if (row.datacl !== null && row.datacl !== undefined) {
    const acl = await client.query<{
      grantee: string | null;
      privilege: string;
      grantable: boolean;
    }>(
      `SELECT CASE WHEN a.grantee = 0 THEN NULL ELSE pg_get_userbyid(a.grantee) END AS grantee,
              a.privilege_type AS privilege, a.is_grantable AS grantable
         FROM pg_database d, aclexplode(d.datacl) a
        WHERE d.datname = $1`,
      [database],
    );
    grants = acl.rows;
  }
  return {
    owner: first.owner,
    encoding: first.encoding,
    collate: text('datcollate') ?? 'C',
    ctype: text('datctype') ?? 'C',
    localeProvider: provider === 'i' ? 'icu' : provider === 'c' ? 'libc' : null,
    icuLocale: text('daticulocale') ?? text('datlocale'),
    connectionLimit: typeof row.datconnlimit === 'number' ? row.datconnlimit : -1,
    comment: first.comment,
    settings: settings.rows,
    grants,
  };
}

/** `CREATE DATABASE` for a new database that has the same locale, encoding and owner. */
export function createDatabaseSql(
  client: pg.Client,
  name: string,
  like: DatabaseProperties | null,
): string {
  const parts = [`CREATE DATABASE ${client.escapeIdentifier(name)} WITH TEMPLATE template0`];
  if (like) {
    parts.push(`OWNER ${client.escapeIdentifier(like.owner)}`);
    parts.push(`ENCODING ${client.escapeLiteral(like.encoding)}`);
    parts.push(`LC_COLLATE ${client.escapeLiteral(like.collate)}`);
    parts.push(`LC_CTYPE ${client.escapeLiteral(like.ctype)}`);
    if (like.localeProvider === 'icu' && like.icuLocale) {
      parts.push(`LOCALE_PROVIDER icu ICU_LOCALE ${client.escapeLiteral(like.icuLocale)}`);
    }
  }
  return parts.join(' ');
}

/** Settings whose value is a list of quoted identifiers (GUC_LIST_QUOTE in the server). */
const LIST_QUOTE_SETTINGS = new Set([
  'search_path',
  'temp_tablespaces',
  'session_preload_libraries',
  'shared_preload_libraries',
  'local_preload_libraries',
]);

/**
 * Splits a list setting as the catalog keeps it (`public, "$user", "My Schema"`) into its
 * items, undoing the double quotes, as pg_dump's SplitGUCList does.
 */
export function splitSettingList(value: string): string[] {
  const items: string[] = [];
  let i = 0;
  while (i < value.length) {
    while (value[i] === ' ') i += 1;
    let item = '';
    if (value[i] === '"') {
      i += 1;
      while (i < value.length) {
        if (value[i] === '"') {
          if (value[i + 1] === '"') {
            item += '"';
            i += 2;
            continue;
          }
          i += 1;
          break;
        }
        item += value[i];
        i += 1;
      }
    } else {
      while (i < value.length && value[i] !== ',') {
        item += value[i];
        i += 1;
      }
      item = item.trimEnd();
    }
    items.push(item);
    while (i < value.length && value[i] !== ',') i += 1;
    i += 1;
  }
  return items;
}

/**
 * Statements that give `name` the settings, privileges and connection limit of `like`. A
 * list setting (search_path …) is written as one literal an item, any other as one literal,
 * which is how pg_dump writes them.
 */
export function propertiesSql(client: pg.Client, name: string, like: DatabaseProperties): string[] {
  const db = client.escapeIdentifier(name);
  const statements: string[] = [];
  if (like.connectionLimit !== -1) {
    statements.push(
      `ALTER DATABASE ${db} WITH CONNECTION LIMIT ${Math.trunc(like.connectionLimit)}`,
    );
  }
  for (const { role, setting } of like.settings) {
    const at = setting.indexOf('=');
    if (at <= 0) continue;
    const key = setting.slice(0, at);
    const raw = setting.slice(at + 1);
    const values = LIST_QUOTE_SETTINGS.has(key.toLowerCase())
      ? splitSettingList(raw)
          .map((value) => client.escapeLiteral(value))
          .join(', ')
      : client.escapeLiteral(raw);
    const inRole = role ? ` IN ROLE ${client.escapeIdentifier(role)}` : '';
    statements.push(
      `ALTER DATABASE ${db}${inRole} SET ${client.escapeIdentifier(key)} TO ${values}`,
    );
  }
  if (like.grants) {
    statements.push(`REVOKE ALL ON DATABASE ${db} FROM PUBLIC`);
    for (const grant of like.grants) {
      if (grant.grantee === like.owner) continue;
      const to = grant.grantee === null ? 'PUBLIC' : client.escapeIdentifier(grant.grantee);
      statements.push(
        `GRANT ${grant.privilege} ON DATABASE ${db} TO ${to}${grant.grantable ? ' WITH GRANT OPTION' : ''}`,
      );
    }
  }
  return statements;
}
