import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BackupRecord, PrunePlan } from '../../../src-shared/models/backups';
import { tempDir, writeFile } from '../../support/temp-dir';
import { tend } from '../../support/run-tend';

describe('tend backup', () => {
  it('creates, lists, verifies and prunes with exit codes a cron job can act on', async () => {
    const base = tempDir();
    const root = path.join(base, 'root');
    const dest = path.join(base, 'dest');
    expect((await tend(['init', root], base)).code).toBe(0);
    writeFile(path.join(root, 'config/settings.yaml'), 'model: mini\n');
    writeFile(path.join(root, 'local_data/internal_assistant/documents/a/b.md'), '# b\n');

    // No destination yet: exit 6 and a message that says where to set one.
    const none = await tend(['backup', 'create', '--root', root], base);
    expect(none.code).toBe(6);
    expect(none.stderr).toContain('NO_DESTINATION');
    expect(none.stderr).toContain('--dest');

    const made = await tend(['backup', 'create', '--root', root, '--dest', dest, '--json'], base);
    expect(made.code).toBe(0);
    const record = JSON.parse(made.stdout) as BackupRecord;
    expect(record).toMatchObject({ state: 'completed', kind: 'critical', files: 2 });
    expect(fs.existsSync(path.join(dest, record.fileName))).toBe(true);

    expect(
      (await tend(['settings', 'set', '--root', root, `backup.destination="${dest}"`], base)).code,
    ).toBe(0);
    const full = await tend(['backup', 'create', '--root', root, '--kind', 'full'], base);
    expect(full.code).toBe(0);
    expect(full.stdout).toMatch(/^Backed up 2 files/);
    expect((await tend(['backup', 'create', '--root', root, '--kind', 'huge'], base)).code).toBe(2);

    const listed = await tend(['backup', 'list', '--root', root], base);
    expect(listed.stdout).toContain(record.id);
    const json = JSON.parse(
      (await tend(['backup', 'list', '--root', root, '--json'], base)).stdout,
    );
    expect(json).toHaveLength(2);

    const verified = await tend(['backup', 'verify', '--root', root, record.fileName], base);
    expect(verified.code).toBe(0);
    expect(verified.stdout).toContain(`${record.id}: OK`);

    // A damaged archive: exit 7.
    const archive = path.join(dest, record.fileName);
    const bytes = fs.readFileSync(archive);
    bytes[bytes.length - 10]! ^= 0x55;
    fs.writeFileSync(archive, bytes);
    const damaged = await tend(['backup', 'verify', '--root', root, record.id], base);
    expect(damaged.code).toBe(7);
    expect(damaged.stderr).toContain('BACKUP_CORRUPT');
    // A backup that is not there is bad input (2), as a mistyped collection is.
    const nope = await tend(['backup', 'verify', '--root', root, 'tend-nope'], base);
    expect([nope.code, nope.stderr]).toEqual([2, expect.stringContaining('BACKUP_NOT_FOUND')]);

    // The list says which backup cannot be restored, and why.
    const after = await tend(['backup', 'list', '--root', root], base);
    expect(after.stdout).toContain('1 backup cannot be restored now:');
    expect(after.stdout).toContain(`${record.id}: it failed verification`);

    const dry = await tend(['backup', 'prune', '--root', root, '--dry-run', '--json'], base);
    expect(dry.code).toBe(0);
    const decisions = (JSON.parse(dry.stdout) as PrunePlan).decisions;
    expect(decisions.map((decision) => [decision.kind, decision.restorable])).toEqual([
      ['full', true],
      ['critical', false],
    ]);
    const pruned = await tend(['backup', 'prune', '--root', root], base);
    expect(pruned.code).toBe(0);
    // The damaged one fills no slot and stays for a person to look at; the full one is the
    // newest of its kind. Nothing restorable is deleted.
    expect(pruned.stdout).toContain(`keep     ${record.id}`);
    expect(pruned.stdout).toContain('Deleted 0 backups');
    expect(pruned.stdout).toContain(`1 backup cannot be restored and fills no slot: ${record.id}.`);
    expect(fs.existsSync(archive)).toBe(true);
    expect((await tend(['backup', 'delete', '--root', root, record.id], base)).code).toBe(0);
    expect(fs.existsSync(archive)).toBe(false);
  });
});
