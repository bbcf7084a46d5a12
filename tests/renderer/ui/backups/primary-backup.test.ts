import { createElement } from 'react';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { DestinationInfo } from '../../../../src-shared/models/backups';
import type { RepositoryStatus } from '../../../../src-shared/models/repository';
import type { TendState } from '../../../../src-renderer/src/store/store';
import type { BackupsPage as BackupsPageType } from '../../../../src-renderer/src/ui/backups/backups-page';
import { primaryBackup } from '../../../../src-renderer/src/ui/backups/primary-backup';
import { rootInfo } from '../../store/fake-client';
import { renderFromStore } from '../render-from-store';

describe('primaryBackup', () => {
  it.each([
    // archive folder, repository ready → the button that will run
    ['/media/usb/backups', false, 'archives'],
    ['/media/usb/backups', true, 'archives'],
    [null, true, 'repository'],
    // No folder and no usable repository: "Back up now" stays (disabled, saying what to set up).
    [null, false, 'archives'],
    // The destination not read yet: nothing is moved around.
    [undefined, true, 'archives'],
  ] as const)('folder %s, repository ready %s: %s', (archiveFolder, repositoryReady, expected) => {
    expect(primaryBackup({ archiveFolder, repositoryReady })).toBe(expected);
  });
});

let BackupsPage: typeof BackupsPageType;
beforeAll(async () => {
  vi.stubGlobal('document', { addEventListener: () => undefined });
  ({ BackupsPage } = await import('../../../../src-renderer/src/ui/backups/backups-page'));
});

const destination = (path: string | null): DestinationInfo => ({
  path,
  exists: path !== null,
  freeBytes: null,
  totalBytes: null,
  sameDiskAsRoot: null,
  problem: null,
  estimatedNextBytes: null,
});

const repository: RepositoryStatus = {
  destination: { kind: 'local', folder: '/media/usb/tend' },
  location: '/media/usb/tend',
  passphraseKnown: true,
  passphraseKept: 'memory',
  s3KeysKnown: null,
  sftpPasswordKept: null,
};

/** The Backups page as the server renders it from a store holding these answers. */
function renderBackups(change: Partial<TendState>): string {
  return renderFromStore(createElement(BackupsPage), {
    root: { status: 'open', info: rootInfo(), error: null },
    backups: { status: 'ready', value: [] },
    ...change,
  });
}

/** The text of the buttons drawn as primary. */
function primaryButtons(html: string): string[] {
  return [
    ...html.matchAll(/<button[^>]*class="[^"]*button-primary[^"]*"[^>]*>(.*?)<\/button>/g),
  ].map((match) => match[1]!.replace(/<[^>]+>/g, '').trim());
}

describe('BackupsPage', () => {
  it('makes "Back up now" the primary while archives have a folder', () => {
    const html = renderBackups({
      backupDestination: { status: 'ready', value: destination('/media/usb/backups') },
      repositoryStatus: { status: 'ready', value: repository },
    });
    expect(primaryButtons(html)).toEqual(['Back up now']);
  });

  it('keeps "Back up now" off, saying why, while no folder for archives is set', () => {
    const backUpNow = (html: string) =>
      /<button[^>]*>(?:(?!<\/button>).)*Back up now<\/button>/.exec(html)![0];
    const none = backUpNow(
      renderBackups({
        backupDestination: { status: 'ready', value: destination(null) },
        repositoryStatus: { status: 'ready', value: repository },
      }),
    );
    expect(none).toContain('disabled=""');
    expect(none).toContain('title="No folder for archives is set: choose one in Settings');
    const set = backUpNow(
      renderBackups({
        backupDestination: { status: 'ready', value: destination('/media/usb/backups') },
      }),
    );
    expect(set).not.toContain('disabled');
  });

  it('makes the repository backup the primary when only the repository is set up', () => {
    const html = renderBackups({
      backupDestination: { status: 'ready', value: destination(null) },
      repositoryStatus: { status: 'ready', value: repository },
    });
    expect(primaryButtons(html)).toEqual(['Back up to the repository now']);
  });
});
