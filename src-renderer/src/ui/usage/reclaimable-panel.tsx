import { ExternalLink, Sparkles } from 'lucide-react';
import { useState } from 'react';
import type { CleanKind, Reclaimable } from '../../../../src-shared/models/usage';
import { formatBytes, formatFiles } from '../../lib/format';
import { valueOf } from '../../store/loadable';
import { pageIds, type PageId } from '../../store/navigation-slice';
import { useTend } from '../../store/use-tend';
import { ErrorBox } from '../common/error-box';
import { Loading } from '../common/loading';
import { PlacedJob } from '../jobs/job-outcome';
import { CleanupDialog } from './cleanup-dialog';

const explanations: Record<CleanKind, string> = {
  logs: 'Logs past their retention, and plain logs that can be gzipped.',
  cache: 'Cache files past their age limit, or the oldest while the cache is over its cap.',
  locks: 'Lock files left behind by a process that is no longer running.',
  temp: 'Temporary files of writes that never finished.',
  sqlite: 'Free pages inside SQLite files, given back by VACUUM.',
  vectors: 'Deleted elements that vector indexes keep until they are compacted.',
};

function isPage(page: string): page is PageId {
  return (pageIds as ReadonlyArray<string>).includes(page);
}

function Row(props: { item: Reclaimable; onClean: (kind: CleanKind) => void }) {
  const { item, onClean } = props;
  const navigate = useTend((state) => state.navigate);
  const elsewhere = item.handledElsewhere;
  return (
    <li className="reclaim-row" data-testid={`reclaim-${item.kind}`}>
      <div className="reclaim-text">
        <span className="reclaim-title">{item.title}</span>
        <span className="muted">{explanations[item.kind]}</span>
      </div>
      <div className="reclaim-figures numeric">
        {item.kind === 'vectors' ? (
          <span className="muted">measured on the Indexes page</span>
        ) : (
          <>
            <span className="reclaim-bytes">{formatBytes(item.reclaimBytes)}</span>
            <span className="muted">{formatFiles(item.files)}</span>
          </>
        )}
      </div>
      {elsewhere ? (
        isPage(elsewhere.page) ? (
          <button
            type="button"
            className="button button-small"
            onClick={() => navigate(elsewhere.page as PageId)}
          >
            <ExternalLink size={14} aria-hidden /> {elsewhere.label}
          </button>
        ) : (
          <span className="muted reclaim-elsewhere">{elsewhere.label} (its page)</span>
        )
      ) : (
        <button
          type="button"
          className="button button-small"
          disabled={item.files === 0}
          onClick={() => onClean(item.kind)}
        >
          <Sparkles size={14} aria-hidden /> Clean up…
        </button>
      )}
    </li>
  );
}

/**
 * What could be freed, kind by kind, each with a "Clean up…" preview of the exact files.
 * Nothing in the irreplaceable category is ever listed.
 */
export function ReclaimablePanel(): React.JSX.Element {
  const reclaimable = useTend((state) => state.reclaimable);
  const [open, setOpen] = useState<CleanKind | null>(null);
  const view = valueOf(reclaimable);
  const total = view?.items.filter((i) => i.applicable).reduce((s, i) => s + i.reclaimBytes, 0);

  return (
    <section className="panel" aria-labelledby="reclaim-title" data-testid="usage-reclaimable">
      <div className="panel-head">
        <h2 className="panel-title" id="reclaim-title">
          Space you can get back
        </h2>
        {total !== undefined ? (
          <span className="muted numeric">{formatBytes(total)} can go now</span>
        ) : null}
      </div>
      {reclaimable.status === 'error' ? (
        <ErrorBox error={reclaimable.error} title="Could not work out what can be cleaned up" />
      ) : null}
      {view ? (
        <ul className="reclaim-list">
          {view.items.map((item) => (
            <Row key={item.kind} item={item} onClean={setOpen} />
          ))}
        </ul>
      ) : reclaimable.status !== 'error' ? (
        <Loading label="Looking for what can go…" />
      ) : null}
      <PlacedJob place="cleanup" withProgress />
      {open ? <CleanupDialog kind={open} onClose={() => setOpen(null)} /> : null}
    </section>
  );
}
