import type { OpenDialogOptions } from 'electron';
import type { ParsedInputOf } from '../../src-shared/contract';

/** Why the renderer asks for a folder. */
export type PickPurpose = ParsedInputOf<'root:pick-folder'>['purpose'];

const wording: Readonly<Record<PickPurpose, { title: string; buttonLabel: string }>> = {
  open: { title: 'Open a data folder', buttonLabel: 'Open' },
  create: { title: 'Choose where to create the data folder', buttonLabel: 'Choose' },
  destination: { title: 'Choose a backup destination', buttonLabel: 'Choose' },
};

/** The native folder dialog's options for a purpose: folders only, new ones allowed. */
export function folderDialogOptions(purpose: PickPurpose): OpenDialogOptions {
  return {
    ...wording[purpose],
    // createDirectory is macOS's "New Folder" button; other platforms always offer one.
    properties: ['openDirectory', 'createDirectory', 'dontAddToRecent'],
  };
}

/** The dialog's answer as the contract's output: the chosen folder, or null when cancelled. */
export function pickedFolder(result: { canceled: boolean; filePaths: ReadonlyArray<string> }): {
  path: string | null;
} {
  return { path: result.canceled ? null : (result.filePaths[0] ?? null) };
}
