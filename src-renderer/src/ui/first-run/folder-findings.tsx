import { Check, FolderPlus, ShieldQuestion, X } from 'lucide-react';
import type { ReactNode } from 'react';
import type { FolderFindings } from '../../../../src-shared/models/root';
import { Spinner } from '../common/loading';

/**
 * What Tend found in a folder that does not look like an assistant's — said plainly, never a
 * guess — and the choice it leaves: say which app keeps it (`chooser`, a select of every
 * profile), manage it anyway (adopt it), make a new data folder there when it is empty, or
 * pick another one. Nothing has been written into the folder yet.
 */
export function FolderFindingsPanel(props: {
  findings: FolderFindings;
  busy: boolean;
  onAdopt: () => void;
  onCreate: () => void;
  onCancel: () => void;
  /** The select of profiles, to read the folder as one the person names. */
  chooser?: ReactNode;
}): React.JSX.Element {
  const { findings, busy, onAdopt, onCreate, onCancel, chooser } = props;
  const found = findings.markers.filter((marker) => marker.present);
  const { folders, files, names } = findings.topLevel;
  const more = folders + files - names.length;
  const empty = findings.kind === 'empty';
  return (
    <section className="panel" aria-labelledby="findings-title" data-testid="folder-findings">
      <h2 className="panel-title" id="findings-title">
        <ShieldQuestion size={18} aria-hidden />{' '}
        {empty ? 'An empty folder' : 'Not an assistant folder'}
      </h2>
      <p>
        {empty ? 'Nothing is in' : 'Tend recognises no assistant’s data in'}{' '}
        <span className="mono">{findings.path}</span>, and has written nothing into it.
        {!empty && findings.reason ? ` ${findings.reason}` : ''}
      </p>
      <ul className="findings-list">
        {findings.markers
          .filter((marker) => marker.present || marker.path.startsWith('local_data'))
          .map((marker) => (
            <li key={marker.path} className={marker.present ? 'found' : 'missing'}>
              {marker.present ? <Check size={14} aria-hidden /> : <X size={14} aria-hidden />}{' '}
              <code>{marker.path}</code> <span className="muted">{marker.what}</span>
            </li>
          ))}
      </ul>
      <p className="muted">
        {empty
          ? 'The folder is empty.'
          : `At its top: ${folders} folder${folders === 1 ? '' : 's'} and ${files} file${files === 1 ? '' : 's'} — ${names.join(', ')}${more > 0 ? `, and ${more} more` : ''}.`}
      </p>
      {empty ? (
        <div className="form-actions">
          <button
            type="button"
            className="button button-primary"
            onClick={onCreate}
            disabled={busy}
          >
            {busy ? <Spinner /> : <FolderPlus size={16} aria-hidden />} Create a new data folder
            here
          </button>
          <button type="button" className="button" onClick={onCancel} disabled={busy}>
            Choose another folder
          </button>
        </div>
      ) : (
        <>
          <div className="notice notice-warning">
            <p>
              {found.length === 0
                ? 'If this is not the assistant’s folder, choose another one. '
                : ''}
              If you know which app keeps it, choose it below. If you manage it anyway, Tend counts
              everything in it as your data (irreplaceable: it is backed up and never offered for
              cleanup); its own state stays outside the folder.
            </p>
          </div>
          {chooser}
          <div className="form-actions">
            <button type="button" className="button" onClick={onCancel} disabled={busy}>
              Choose another folder
            </button>
            <button type="button" className="button" onClick={onAdopt} disabled={busy}>
              {busy ? <Spinner /> : null} Manage this folder
            </button>
          </div>
        </>
      )}
    </section>
  );
}
