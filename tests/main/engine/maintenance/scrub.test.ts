import { describe, expect, it } from 'vitest';
import { runScrub } from '../../../../src-main/engine/maintenance/scrub';
import { tempDir } from '../../../support/temp-dir';
import { addInteractions, makeAssistantDb } from './support';

describe('runScrub', () => {
  it('previews, then hashes ids and IPs and redacts queries of old rows only, once', async () => {
    const db = makeAssistantDb(tempDir());
    addInteractions(db, '2026-01-01', 4, 2, (day) => ({
      query: day === 0 ? 'mail me at bo@example.org or call +1 555-0101' : 'plain question',
    }));
    const salt = Buffer.alloc(32, 3);
    const preview = await runScrub(db, salt, '2026-01-03', true, null);
    expect(preview).toMatchObject({ rows: 4, ipsHashed: 4, emailsRedacted: 2, phonesRedacted: 2 });
    expect(
      db.prepare('SELECT count(*) AS n FROM interactions WHERE scrubbed_at IS NOT NULL').get(),
    ).toEqual({ n: 0 });

    const done = await runScrub(db, salt, '2026-01-03', false, null);
    expect(done.rows).toBe(4);
    const old = db
      .prepare(`SELECT session_id, ip, query FROM interactions WHERE timestamp < '2026-01-03'`)
      .all() as Array<{ session_id: string; ip: string; query: string }>;
    for (const row of old) {
      expect(row.session_id).toMatch(/^anon_/);
      expect(row.ip).toMatch(/^anon_/);
      expect(row.query).not.toMatch(/@|555/);
    }
    // Rows of the same session keep one token, so per-session counts still work.
    expect(
      new Set(old.filter((r) => r.query.includes('[email]')).map((r) => r.session_id)).size,
    ).toBe(1);
    const recent = db
      .prepare(`SELECT session_id FROM interactions WHERE timestamp >= '2026-01-03'`)
      .all() as Array<{ session_id: string }>;
    expect(recent.every((r) => r.session_id.startsWith('sess_'))).toBe(true);
    expect((await runScrub(db, salt, '2026-01-03', false, null)).rows).toBe(0);
  });
});
