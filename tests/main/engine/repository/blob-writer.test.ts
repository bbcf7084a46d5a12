/**
 * Storing blobs in packs (blob-writer.ts): each pack is filled in one kept buffer, which grows
 * for a blob larger than its room and is filled again once its pack is stored.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BlobWriter } from '../../../../src-main/engine/repository/blob-writer';
import { hashId } from '../../../../src-main/engine/repository/restic-id';
import { tempDir } from '../../../support/temp-dir';
import { hasRestic, newRepository, noise, restic } from './repository-fixtures';

describe('storing blobs in packs', () => {
  it('reads every blob back from packs built in reused buffers, one larger than a buffer’s room', async () => {
    const repoDir = path.join(tempDir(), 'repo');
    const repository = await newRepository(repoDir);
    const writer = new BlobWriter(repository, await repository.loadIndex(), { packSize: 1024 });
    // Twenty packs of one blob each (each passes the pack size), then one pack of a short text
    // and 6 MiB of incompressible bytes: more than a new buffer holds (the pack size, the
    // largest chunk and the header's room), so the buffer grows with the text already in it.
    const blobs = [
      ...Array.from({ length: 20 }, (_, i) => noise(2048 + i, i + 1)),
      Buffer.from('tend '.repeat(1000)),
      noise(6 * 1024 * 1024, 99),
    ];
    for (const blob of blobs) expect((await writer.save('data', blob)).added).toBe(true);
    await writer.flush();
    expect(writer.totals.packsWritten).toBe(21);

    const index = await repository.loadIndex();
    for (const blob of blobs) {
      const read = await repository.readBlob(index, 'data', hashId(blob));
      expect(read.equals(blob)).toBe(true);
    }
    if (hasRestic) {
      const check = restic(repoDir, ['check', '--read-data']);
      expect(check.stderr + check.stdout).toContain('no errors were found');
    }
  });
});
