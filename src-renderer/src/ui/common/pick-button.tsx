import { FolderOpen } from 'lucide-react';
import { useState } from 'react';
import type { InputOf } from '../../../../src-shared/contract';
import type { TendError } from '../../../../src-shared/errors';
import { useTend } from '../../store/use-tend';
import { Spinner } from './loading';

/** What to ask the desktop's dialog for. */
export type PickRequest =
  | { readonly folder: InputOf<'root:pick-folder'>['purpose'] }
  | { readonly file: InputOf<'root:pick-file'> };

/**
 * A button that asks the desktop app's own dialog for a folder or file and hands back the
 * path picked. In the desktop app Tend uses only paths picked this way (a typed one is
 * refused); the browser has no such dialog, so the button is not shown there.
 */
export function PickButton(props: {
  request: PickRequest;
  onPicked: (path: string) => void;
  onError?: (error: TendError) => void;
  disabled?: boolean;
  label?: string;
}): React.JSX.Element | null {
  const { request, onPicked, onError, disabled, label = 'Browse…' } = props;
  const pickFolder = useTend((state) => state.pickFolder);
  const pickFile = useTend((state) => state.pickFile);
  const [busy, setBusy] = useState(false);
  if (typeof window === 'undefined' || window.tend === undefined) return null;

  async function pick(): Promise<void> {
    setBusy(true);
    const result =
      'folder' in request ? await pickFolder(request.folder) : await pickFile(request.file);
    setBusy(false);
    if (!result.ok) onError?.(result.error);
    else if (result.value.path !== null) onPicked(result.value.path);
  }

  return (
    <button
      type="button"
      className="button"
      onClick={() => void pick()}
      disabled={disabled || busy}
    >
      {busy ? <Spinner /> : <FolderOpen size={16} aria-hidden />} {label}
    </button>
  );
}
