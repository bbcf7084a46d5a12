import { describe, expect, it } from 'vitest';
import { formatStoreChecks } from '../../../../src-main/cli/commands/profiles';
import type { StoreChecks } from '../../../../src-shared/models/profiles';

const sound = {
  storeId: 'entities',
  title: 'Entities',
  kind: 'json-store',
  path: 'data/api_storage/entities.json',
  label: 'entities.json',
  ok: true,
  summary: 'sound',
  findings: [],
  restore: null,
} as const;

describe('formatStoreChecks', () => {
  it('says every store is sound when none is damaged', () => {
    const checks: StoreChecks = { profile: 'entity-rag', checkedAt: 'x', instances: [sound] };
    expect(formatStoreChecks(checks).split('\n')[0]).toBe(
      'The one store of the entity-rag folder is sound.',
    );
  });

  it('names a damaged store, its finding with its size and what to do, and the backup that holds it', () => {
    const checks: StoreChecks = {
      profile: 'entity-rag',
      checkedAt: 'x',
      instances: [
        sound,
        {
          ...sound,
          storeId: 'entity-index',
          kind: 'faiss',
          path: 'data/entity_scoped/entities/acme/vector_store',
          label: 'FAISS index of acme',
          ok: false,
          summary: 'cut short',
          findings: [
            {
              code: 'FAISS_TRUNCATED',
              severity: 'problem',
              path: 'index.faiss',
              message: 'index.faiss is cut short.',
              action: 'Restore it from a backup.',
              bytes: 2048,
            },
          ],
          restore: {
            backupId: 'b1',
            archivePath: '/backups/b1.tar.gz',
            createdAt: 'x',
            scope: { scope: 'entity', id: 'acme' },
            paths: [],
          },
        },
      ],
    };
    const text = formatStoreChecks(checks);
    expect(text).toContain('1 of 2 stores of the entity-rag folder is damaged.');
    expect(text).toContain(
      'DAMAGED  FAISS index of acme (data/entity_scoped/entities/acme/vector_store): cut short',
    );
    expect(text).toContain('problem: index.faiss is cut short. (2 KiB) Restore it from a backup.');
    expect(text).toContain('restore it from b1 (/backups/b1.tar.gz)');
  });
});
