import { createElement } from 'react';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { RepositoryStatus } from '../../../../src-shared/models/repository';
import type { TendState } from '../../../../src-renderer/src/store/store';
import type { BackupChoice as BackupChoiceType } from '../../../../src-renderer/src/ui/restore/backup-choice';
import { rootInfo } from '../../store/fake-client';
import { renderFromStore } from '../render-from-store';

let BackupChoice: typeof BackupChoiceType;
beforeAll(async () => {
  vi.stubGlobal('document', { addEventListener: () => undefined });
  ({ BackupChoice } = await import('../../../../src-renderer/src/ui/restore/backup-choice'));
});

const repository = (passphraseKnown: boolean): RepositoryStatus => ({
  destination: { kind: 'local', folder: '/media/usb/tend' },
  location: '/media/usb/tend',
  passphraseKnown,
  passphraseKept: passphraseKnown ? 'memory' : 'none',
  s3KeysKnown: null,
  sftpPasswordKept: null,
});

/** The wizard's first step with no archive, as the server renders it from this store. */
function renderChoice(change: Partial<TendState>): string {
  return renderFromStore(
    createElement(BackupChoice, {
      backups: [],
      loading: false,
      loadError: null,
      selected: null,
      onSelect: () => undefined,
      onRefresh: () => undefined,
    }),
    { root: { status: 'open', info: rootInfo(), error: null }, ...change },
  );
}

describe('the restore wizard’s list of backups', () => {
  it('says there are none when there are none', () => {
    const html = renderChoice({
      repositoryStatus: {
        status: 'ready',
        value: { ...repository(true), destination: null, location: null },
      },
    });
    expect(html).toContain('No backups yet.');
    expect(html).not.toContain('restore-repository-locked');
  });

  it('says a locked repository holds snapshots to unlock, never "No backups yet"', () => {
    const html = renderChoice({ repositoryStatus: { status: 'ready', value: repository(false) } });
    expect(html).toContain('data-testid="restore-repository-locked"');
    expect(html).toContain('/media/usb/tend');
    expect(html).toContain('Unlock it in Settings');
    expect(html).toContain('No archives either.');
    expect(html).not.toContain('No backups yet');
  });

  it('says when the snapshots could not be read', () => {
    const html = renderChoice({
      repositoryStatus: { status: 'ready', value: repository(true) },
      repositorySnapshots: {
        status: 'error',
        error: { code: 'DESTINATION_UNAVAILABLE', message: 'The disk is not there.' },
        value: null,
      },
    });
    expect(html).toContain('Could not list the encrypted repository');
    expect(html).toContain('The disk is not there.');
    expect(html).not.toContain('No backups yet');
  });
});
