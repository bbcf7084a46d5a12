import { Activity, RefreshCw, Search, Wrench } from 'lucide-react';
import { useEffect, useMemo, useState } from 'react';
import type { TendError } from '../../../../src-shared/errors';
import type { JobRecord } from '../../../../src-shared/models/jobs';
import type { CollectionSummary, HealthStatus } from '../../../../src-shared/models/vectors';
import {
  countOfTotal,
  formatAgo,
  formatBytes,
  formatCount,
  formatEta,
  formatShare,
  fractionOf,
} from '../../lib/format';
import { valueOf } from '../../store/loadable';
import { useTend } from '../../store/use-tend';
import { CancelJobButton } from '../common/cancel-job-button';
import { ErrorBox } from '../common/error-box';
import { Loading, Spinner } from '../common/loading';
import { PageHeader } from '../common/page-header';
import { ProgressBar } from '../common/progress-bar';
import { PlacedJob } from '../jobs/job-outcome';
import { managesIndexes, storesIntro, storesPageTitle } from '../profile/profile-words';
import { StoreChecksPanel } from '../profile/store-checks-panel';
import { useOpenProfile } from '../profile/use-open-profile';
import './indexes.css';

const statusLabel: Record<HealthStatus, string> = {
  ok: 'Healthy',
  warning: 'Needs attention',
  bad: 'Unhealthy',
};

/**
 * Indexes: each collection's vector index — how many vectors, how many deleted, its size and
 * parameters, its measured recall and last compaction — with a health check, a compaction and
 * a test search one click away; below, the check of every store of the folder. A folder whose
 * profile has no indexes Tend manages (Open WebUI, an entity-scoped RAG API) sees the page as
 * "Stores": its own stores, checked, in its own words.
 */
export function IndexesPage(): React.JSX.Element {
  const collections = useTend((state) => state.indexCollections);
  const loadIndexes = useTend((state) => state.loadIndexes);
  const watchIndexes = useTend((state) => state.watchIndexes);
  const profile = useOpenProfile();
  const indexes = profile === null || managesIndexes(profile);

  useEffect(() => watchIndexes(), [watchIndexes]);
  useEffect(() => {
    if (indexes && collections.status === 'idle') void loadIndexes();
  }, [indexes, collections.status, loadIndexes]);

  if (!indexes) {
    return (
      <>
        <PageHeader title={storesPageTitle(profile)} subtitle={storesIntro(profile)} />
        <StoreChecksPanel />
      </>
    );
  }
  const list = valueOf(collections);
  return (
    <>
      <PageHeader
        title="Indexes"
        subtitle={
          profile
            ? storesIntro(profile)
            : "The assistant's vector indexes, rebuilt from its database whenever they need it."
        }
        actions={
          <button
            type="button"
            className="button"
            onClick={() => void loadIndexes()}
            disabled={collections.status === 'loading'}
          >
            {collections.status === 'loading' ? <Spinner /> : <RefreshCw size={16} aria-hidden />}{' '}
            Refresh
          </button>
        }
      />
      {collections.status === 'error' ? (
        <ErrorBox
          error={collections.error}
          title="Could not read the collections"
          onRetry={() => void loadIndexes()}
        />
      ) : null}
      {list === null ? (
        collections.status !== 'error' ? (
          <Loading label="Reading the collections…" />
        ) : null
      ) : list.length === 0 ? (
        <section className="panel empty">
          <p>
            No collections yet. Import embeddings with{' '}
            <code className="mono">tend import &lt;collection&gt; &lt;file.jsonl&gt;</code>.
          </p>
        </section>
      ) : (
        list.map((collection) => <CollectionPanel key={collection.id} collection={collection} />)
      )}
      <StoreChecksPanel />
    </>
  );
}

function StatusBadge(props: { status: HealthStatus | null }): React.JSX.Element {
  if (props.status === null) return <span className="badge">Not checked yet</span>;
  return <span className={`badge badge-${props.status}`}>{statusLabel[props.status]}</span>;
}

/** Jobs of this collection running now: the one started here, or one the engine started. */
function useCollectionJobs(collection: string): JobRecord[] {
  const running = useTend((state) => state.runningJobs);
  const startedHere = useTend((state) => state.indexJobs[collection]);
  return useMemo(
    () =>
      Object.values(running).filter(
        (job) =>
          job.id === startedHere ||
          (job.kind.startsWith('vectors-') && job.title.endsWith(` ${collection}`)),
      ),
    [running, startedHere, collection],
  );
}

function CollectionPanel(props: { collection: CollectionSummary }): React.JSX.Element {
  const { collection } = props;
  const checkIndexHealth = useTend((state) => state.checkIndexHealth);
  const compactIndex = useTend((state) => state.compactIndex);
  const jobs = useCollectionJobs(collection.id);
  const startJobAt = useTend((state) => state.startJobAt);
  const [error, setError] = useState<TendError | null>(null);
  const [asking, setAsking] = useState<'health' | 'compact' | null>(null);
  const health = collection.lastHealth;
  const index = collection.index;
  const busy = jobs.length > 0 || asking !== null;

  async function act(kind: 'health' | 'compact'): Promise<void> {
    setAsking(kind);
    setError(null);
    const result = await startJobAt(`index:${collection.id}`, () =>
      kind === 'health' ? checkIndexHealth(collection.id) : compactIndex(collection.id),
    );
    setAsking(null);
    if (result && !result.ok) setError(result.error);
  }

  return (
    <section
      className="panel index-panel"
      aria-labelledby={`index-${collection.id}`}
      data-testid={`index-${collection.id}`}
    >
      <div className="panel-head index-head">
        <div>
          <h2 className="panel-title" id={`index-${collection.id}`}>
            {collection.name}
          </h2>
          <span className="muted mono">{collection.id}</span>
        </div>
        <StatusBadge status={health?.status ?? null} />
        <span className="spacer" />
        <button type="button" className="button" onClick={() => void act('health')} disabled={busy}>
          {asking === 'health' ? <Spinner /> : <Activity size={16} aria-hidden />} Check health
        </button>
        <button
          type="button"
          className="button"
          onClick={() => void act('compact')}
          disabled={busy || collection.chunkCount === 0}
        >
          {asking === 'compact' ? <Spinner /> : <Wrench size={16} aria-hidden />} Compact now
        </button>
      </div>
      {error ? <ErrorBox error={error} title="Could not start" /> : null}
      <PlacedJob place={`index:${collection.id}`} />
      {health?.compactionReason && jobs.some((job) => job.kind === 'vectors-compact') ? (
        <p className="notice notice-warning">
          Rebuilding this index from the database because {health.compactionReason}. Searches keep
          answering meanwhile.
        </p>
      ) : null}
      {jobs.length > 0 ? (
        <ul className="job-list">
          {jobs.map((job) => (
            <IndexJobRow key={job.id} job={job} />
          ))}
        </ul>
      ) : null}
      <dl className="index-figures">
        <Figure label="Vectors" testId="vectors">
          {index ? formatCount(index.count - index.deletedCount) : 'No index yet'}
          <small>
            {formatCount(collection.chunkCount)} live chunks in{' '}
            {formatCount(collection.documentCount)} documents
          </small>
        </Figure>
        <Figure label="Deleted share" testId="deleted">
          {index ? formatShare(index.deletedCount, index.count) : '–'}
          <small>
            {index
              ? `${formatCount(index.deletedCount)} of ${formatCount(index.count)} vectors`
              : ''}
          </small>
        </Figure>
        <Figure label="File size" testId="size">
          {index ? formatBytes(index.fileBytes) : '–'}
          <small>{index ? `built ${formatAgo(index.builtAt)}` : ''}</small>
        </Figure>
        <Figure label="Measured recall@10" testId="recall">
          {health?.recall != null ? health.recall.toFixed(3) : '–'}
          <small>
            {health
              ? health.recall != null
                ? `on ${health.recallSample} stored vectors, ${formatAgo(health.checkedAt)}`
                : `checked ${formatAgo(health.checkedAt)}`
              : 'Check health to measure it'}
          </small>
        </Figure>
        <Figure label="Last compaction" testId="compaction">
          {collection.lastCompaction ? formatAgo(collection.lastCompaction.finishedAt) : 'Never'}
          <small>
            {collection.lastCompaction
              ? `${collection.lastCompaction.reason}; ${collection.lastCompaction.seconds.toFixed(1)} s`
              : ''}
          </small>
        </Figure>
        <Figure label="Parameters" testId="parameters">
          {collection.dimension}-d {collection.space}
          <small>
            M {collection.m} · efConstruction {collection.efConstruction} · ef {collection.ef}
          </small>
        </Figure>
      </dl>
      {health ? (
        <ul className="index-checks" aria-label={`Health checks of ${collection.name}`}>
          {health.checks.map((check) => (
            <li key={check.name}>
              <span className={`badge badge-${check.status}`}>{check.status}</span>
              <span className="index-check-name">{check.name}</span>
              <span>{check.reason}</span>
            </li>
          ))}
        </ul>
      ) : null}
      {collection.chunkCount > 0 ? <TestSearch collection={collection.id} /> : null}
    </section>
  );
}

/**
 * How far a running index job has come, in the unit the job counts (collections, vectors,
 * chunks), or in bytes when it counts no items; null while nothing is known.
 */
export function indexJobCount(job: JobRecord): string | null {
  const { progress } = job;
  const unit = progress.unit ?? (job.kind === 'vectors-health' ? 'collection' : 'vector');
  if (progress.filesTotal !== null)
    return countOfTotal(progress.filesDone, progress.filesTotal, unit);
  if (progress.bytesTotal !== null)
    return `${formatBytes(progress.bytesDone)} of ${formatBytes(progress.bytesTotal)}`;
  return null;
}

/** A running index job: its step and how far it has come (indexJobCount). */
function IndexJobRow(props: { job: JobRecord }): React.JSX.Element {
  const { job } = props;
  const { progress } = job;
  const fraction =
    progress.filesTotal !== null
      ? fractionOf(progress.filesDone, progress.filesTotal)
      : progress.bytesTotal !== null
        ? fractionOf(progress.bytesDone, progress.bytesTotal)
        : null;
  const counted = indexJobCount(job);
  return (
    <li className="job" data-testid={`index-job-${job.kind}`}>
      <div className="job-head">
        <span className="job-title">{job.title}</span>
        <span className="job-state">
          {job.state === 'queued' ? 'Waiting for the data lock…' : formatEta(progress.etaSeconds)}
        </span>
        <CancelJobButton jobId={job.id} />
      </div>
      <ProgressBar fraction={fraction} label={`Progress of ${job.title}`} />
      <div className="job-detail">
        {counted ? <span className="numeric">{counted}</span> : null}
        {progress.message ? <span className="job-path">{progress.message}</span> : null}
      </div>
    </li>
  );
}

function Figure(props: {
  label: string;
  testId: string;
  children: React.ReactNode;
}): React.JSX.Element {
  return (
    <div className="index-figure" data-testid={`figure-${props.testId}`}>
      <dt>{props.label}</dt>
      <dd>{props.children}</dd>
    </div>
  );
}

/** Picks a stored chunk and shows its nearest neighbours with their scores. */
function TestSearch(props: { collection: string }): React.JSX.Element {
  const { collection } = props;
  const samples = useTend((state) => state.indexSamples[collection]);
  const loadIndexSamples = useTend((state) => state.loadIndexSamples);
  const search = useTend((state) =>
    state.indexSearch?.collection === collection ? state.indexSearch : null,
  );
  const searchFromChunk = useTend((state) => state.searchFromChunk);
  const [chosen, setChosen] = useState<number | null>(null);
  const chunks = samples ? valueOf(samples) : null;
  const chunkId = chosen ?? chunks?.[0]?.chunkId ?? null;
  const result = search ? valueOf(search.result) : null;

  return (
    <div className="index-search">
      <h3>Test search</h3>
      {!samples ? (
        <button
          type="button"
          className="button button-small"
          onClick={() => void loadIndexSamples(collection)}
        >
          <Search size={14} aria-hidden /> Try a search from a stored chunk
        </button>
      ) : samples.status === 'error' ? (
        <ErrorBox error={samples.error} title="Could not read chunks" />
      ) : chunks === null ? (
        <Loading label="Reading chunks…" />
      ) : (
        <div className="input-row">
          <label className="index-search-label" htmlFor={`chunk-${collection}`}>
            Chunk
          </label>
          <select
            id={`chunk-${collection}`}
            className="select index-search-select"
            value={chunkId ?? ''}
            onChange={(event) => setChosen(Number(event.target.value))}
          >
            {chunks.map((chunk) => (
              <option key={chunk.chunkId} value={chunk.chunkId}>
                #{chunk.chunkId} · {chunk.documentTitle}: {chunk.text.slice(0, 70)}
              </option>
            ))}
          </select>
          <button
            type="button"
            className="button button-primary button-small"
            disabled={chunkId === null || search?.result.status === 'loading'}
            onClick={() => chunkId !== null && void searchFromChunk(collection, chunkId)}
          >
            {search?.result.status === 'loading' ? <Spinner /> : <Search size={14} aria-hidden />}{' '}
            Find neighbours
          </button>
        </div>
      )}
      {search?.result.status === 'error' ? (
        <ErrorBox error={search.result.error} title="The search failed" />
      ) : null}
      {result ? (
        <>
          <p className="muted">
            {result.hits.length} nearest chunks to #{search?.chunkId} in {result.tookMs} ms
            {result.source === 'exact'
              ? ' (by exact search over the stored vectors: the index is being rebuilt)'
              : ` (ef ${result.ef})`}
            .
          </p>
          <div className="table-wrap">
            <table className="table index-results" aria-label="Nearest neighbours">
              <thead>
                <tr>
                  <th className="numeric">#</th>
                  <th className="numeric">Score</th>
                  <th>Chunk</th>
                  <th>Document</th>
                  <th>Text</th>
                </tr>
              </thead>
              <tbody>
                {result.hits.map((hit, rank) => (
                  <tr key={hit.chunkId}>
                    <td className="numeric">{rank + 1}</td>
                    <td className="numeric">{hit.score.toFixed(4)}</td>
                    <td className="mono">#{hit.chunkId}</td>
                    <td>{hit.documentTitle}</td>
                    <td className="index-hit-text" title={hit.text}>
                      {hit.text}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
    </div>
  );
}
