import type { OpenDialogOptions, SaveDialogOptions } from 'electron';
import type { ParsedInputOf } from '../../src-shared/contract';
import type { PickedPath, PickPurpose } from '../../src-shared/models/paths';

/** Why the renderer asks for a folder. */
export type FolderPurpose = ParsedInputOf<'root:pick-folder'>['purpose'];

/** What the renderer asks a file for. */
export type FileRequest = ParsedInputOf<'root:pick-file'>;

const wording: Readonly<Record<FolderPurpose, { title: string; buttonLabel: string }>> = {
  open: { title: 'Open a data folder', buttonLabel: 'Open' },
  create: { title: 'Choose where to create the data folder', buttonLabel: 'Choose' },
  destination: { title: 'Choose a backup destination', buttonLabel: 'Choose' },
  'export-folder': {
    title: "Choose an empty folder for the backup's files",
    buttonLabel: 'Choose',
  },
  'import-folder': { title: 'Choose a folder that holds Tend backups', buttonLabel: 'Choose' },
};

/** The native folder dialog's options for a purpose: folders only, new ones allowed. */
export function folderDialogOptions(purpose: FolderPurpose): OpenDialogOptions {
  return {
    ...wording[purpose],
    // createDirectory is macOS's "New Folder" button; other platforms always offer one.
    properties: ['openDirectory', 'createDirectory', 'dontAddToRecent'],
  };
}

const fileKinds: Readonly<
  Record<FileRequest['holds'], { noun: string; filters: OpenDialogOptions['filters'] }>
> = {
  records: {
    noun: 'records',
    filters: [{ name: 'JSON Lines or CSV', extensions: ['jsonl', 'csv'] }],
  },
  vectors: { noun: 'vectors', filters: [{ name: 'JSON Lines', extensions: ['jsonl'] }] },
  backup: { noun: 'a Tend backup', filters: [{ name: 'Tend backup', extensions: ['gz'] }] },
};

/**
 * The native file dialog for a request: an open dialog for an import, a save dialog (which
 * asks before replacing a file) for an export.
 */
export function fileDialogOptions(
  request: FileRequest,
):
  | { readonly dialog: 'open'; readonly options: OpenDialogOptions }
  | { readonly dialog: 'save'; readonly options: SaveDialogOptions } {
  const kind = fileKinds[request.holds];
  if (request.purpose === 'export-file') {
    return {
      dialog: 'save',
      options: {
        title: `Export ${kind.noun} to`,
        buttonLabel: 'Export',
        defaultPath: request.defaultName,
        filters: kind.filters,
        properties: ['createDirectory', 'showOverwriteConfirmation', 'dontAddToRecent'],
      },
    };
  }
  return {
    dialog: 'open',
    options: {
      title: `Import ${kind.noun} from`,
      buttonLabel: 'Import',
      filters: kind.filters,
      properties: ['openFile', 'dontAddToRecent'],
    },
  };
}

/** The open dialog's answer: the chosen folder or file, or null when cancelled. */
export function pickedFolder(result: { canceled: boolean; filePaths: ReadonlyArray<string> }): {
  path: string | null;
} {
  return { path: result.canceled ? null : (result.filePaths[0] ?? null) };
}

/** The save dialog's answer: the chosen file, or null when cancelled. */
export function pickedSaveFile(result: { canceled: boolean; filePath?: string }): {
  path: string | null;
} {
  return { path: result.canceled || !result.filePath ? null : result.filePath };
}

/** Where picks are recorded (the engine's PathGrants). */
export interface PickRecorder {
  grant(picked: string, purpose: PickPurpose): string;
}

/**
 * The contract's answer to a pick: the path to show, and the handle that stands for it, for
 * this purpose only. Nothing is granted when the dialog was cancelled.
 */
export function grantPick(
  grants: PickRecorder,
  picked: { path: string | null },
  purpose: PickPurpose,
): PickedPath {
  if (picked.path === null) return { path: null, handle: null };
  return { path: picked.path, handle: grants.grant(picked.path, purpose) };
}
