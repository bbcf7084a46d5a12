import { describe, expect, it } from 'vitest';
import {
  folderDialogOptions,
  pickedFolder,
  type FolderPurpose,
} from '../../../src-main/electron/folder-picker';

describe('folderDialogOptions', () => {
  it.each<[FolderPurpose, string, string]>([
    ['open', 'Open a data folder', 'Open'],
    ['create', 'Choose where to create the data folder', 'Choose'],
    ['destination', 'Choose a backup destination', 'Choose'],
  ])('words the %s dialog for what it is for', (purpose, title, buttonLabel) => {
    const options = folderDialogOptions(purpose);
    expect(options.title).toBe(title);
    expect(options.buttonLabel).toBe(buttonLabel);
  });

  it.each<FolderPurpose>(['open', 'create', 'destination'])(
    'asks for one folder, not files, for %s',
    (purpose) => {
      const { properties } = folderDialogOptions(purpose);
      expect(properties).toContain('openDirectory');
      expect(properties).toContain('createDirectory');
      expect(properties).not.toContain('openFile');
      expect(properties).not.toContain('multiSelections');
    },
  );
});

describe('pickedFolder', () => {
  it.each<[string, { canceled: boolean; filePaths: string[] }, string | null]>([
    ['the chosen folder', { canceled: false, filePaths: ['/home/ada/data'] }, '/home/ada/data'],
    ['the first of several', { canceled: false, filePaths: ['/a', '/b'] }, '/a'],
    ['null when cancelled', { canceled: true, filePaths: ['/ignored'] }, null],
    ['null when nothing came back', { canceled: false, filePaths: [] }, null],
  ])('gives %s', (_name, result, expected) => {
    expect(pickedFolder(result)).toEqual({ path: expected });
  });
});
