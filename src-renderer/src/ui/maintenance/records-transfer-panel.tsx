import { Download, Upload } from 'lucide-react';
import { useState } from 'react';
import type { TendError } from '../../../../src-shared/errors';
import type { RecordFormat, RecordKind } from '../../../../src-shared/models/maintenance';
import { useTend } from '../../store/use-tend';
import { ErrorBox } from '../common/error-box';
import { PickButton } from '../common/pick-button';
import { PlacedJob, usePlaceBusy } from '../jobs/job-outcome';

const kinds: ReadonlyArray<{ value: RecordKind; label: string }> = [
  { value: 'collections', label: 'Collections' },
  { value: 'chat-sessions', label: 'Chat sessions' },
  { value: 'interactions', label: 'Interactions (analytics)' },
];

/**
 * Export and import of records as JSON Lines or CSV: the file is a path on this machine
 * (outside the data folder is best). An import checks every record first and names the line
 * of a bad one; nothing is written then.
 */
export function RecordsTransferPanel(): React.JSX.Element {
  const start = useTend((state) => state.startRecordsTransfer);
  const startJobAt = useTend((state) => state.startJobAt);
  const busy = usePlaceBusy('records');
  const [kind, setKind] = useState<RecordKind>('chat-sessions');
  const [format, setFormat] = useState<RecordFormat>('jsonl');
  const [file, setFile] = useState('');
  const [replace, setReplace] = useState(false);
  const [error, setError] = useState<TendError | null>(null);

  async function act(direction: 'export' | 'import'): Promise<void> {
    setError(null);
    const answer = await startJobAt('records', () =>
      start(direction, kind, format, file.trim(), replace),
    );
    if (answer && !answer.ok) setError(answer.error);
  }

  return (
    <section className="panel" aria-labelledby="records-title">
      <div className="panel-head">
        <h2 className="panel-title" id="records-title">
          Export and import records
        </h2>
      </div>
      <div className="row records-row">
        <select
          className="select"
          aria-label="What"
          value={kind}
          onChange={(event) => setKind(event.target.value as RecordKind)}
        >
          {kinds.map((k) => (
            <option key={k.value} value={k.value}>
              {k.label}
            </option>
          ))}
        </select>
        <select
          className="select"
          aria-label="Format"
          value={format}
          onChange={(event) => setFormat(event.target.value as RecordFormat)}
        >
          <option value="jsonl">JSON Lines</option>
          <option value="csv">CSV</option>
        </select>
        <input
          className="input records-path"
          aria-label="File"
          placeholder={`/path/to/${kind}.${format}`}
          value={file}
          onChange={(event) => setFile(event.target.value)}
        />
        <PickButton
          label="Import from…"
          request={{ file: { purpose: 'import-file', holds: 'records' } }}
          onPicked={setFile}
          onError={setError}
        />
        <PickButton
          label="Export to…"
          request={{
            file: { purpose: 'export-file', holds: 'records', defaultName: `${kind}.${format}` },
          }}
          onPicked={setFile}
          onError={setError}
        />
        <button
          type="button"
          className="button"
          disabled={file.trim() === '' || busy}
          onClick={() => void act('export')}
        >
          <Download size={16} aria-hidden /> Export
        </button>
        <button
          type="button"
          className="button"
          disabled={file.trim() === '' || busy}
          onClick={() => void act('import')}
        >
          <Upload size={16} aria-hidden /> Import
        </button>
      </div>
      <label className="row">
        <input
          type="checkbox"
          checked={replace}
          onChange={(event) => setReplace(event.target.checked)}
        />
        Replace an existing export
      </label>
      {error ? <ErrorBox error={error} title="Could not start" /> : null}
      <PlacedJob place="records" withProgress />
    </section>
  );
}
