import { categories, categoryInfo } from '../../../../src-shared/models/categories';
import type { RestorableBackup } from '../../../../src-shared/models/restore';
import { formatCount } from '../../lib/format';
import type { RestoreDraft } from '../../store/restore-slice';
import { Loading } from '../common/loading';

/** Step 2 of the wizard: everything, some kinds of data, one collection, or some paths. */
export function RestoreScopeChoice(props: {
  backup: RestorableBackup;
  draft: RestoreDraft;
  onChange: (change: Partial<RestoreDraft>) => void;
}): React.JSX.Element {
  const { backup, draft, onChange } = props;
  const overview = draft.overview;
  return (
    <fieldset className="restore-fieldset restore-scope">
      <legend className="visually-hidden">What to restore</legend>
      <label className="restore-option">
        <input
          type="radio"
          name="scope"
          checked={draft.scopeKind === 'everything'}
          onChange={() => onChange({ scopeKind: 'everything' })}
        />
        <span>
          <strong>Everything</strong>
          <span className="muted">
            {' '}
            — the whole backup; files of its kinds that it lacks are removed
          </span>
        </span>
      </label>
      <label className="restore-option">
        <input
          type="radio"
          name="scope"
          checked={draft.scopeKind === 'categories'}
          onChange={() => onChange({ scopeKind: 'categories' })}
        />
        <span>
          <strong>Some kinds of data</strong>
        </span>
      </label>
      {draft.scopeKind === 'categories' ? (
        <div className="restore-suboptions">
          {categories
            .filter((category) => backup.categories.includes(category))
            .map((category) => (
              <label key={category} className="row">
                <input
                  type="checkbox"
                  checked={draft.categories.includes(category)}
                  onChange={(event) =>
                    onChange({
                      categories: event.target.checked
                        ? [...draft.categories, category]
                        : draft.categories.filter((c) => c !== category),
                    })
                  }
                />
                {categoryInfo[category].label}
                <span className="muted small">{categoryInfo[category].description}</span>
              </label>
            ))}
        </div>
      ) : null}
      <label className="restore-option">
        <input
          type="radio"
          name="scope"
          checked={draft.scopeKind === 'collection'}
          onChange={() => onChange({ scopeKind: 'collection' })}
        />
        <span>
          <strong>One collection</strong>
          <span className="muted">
            {' '}
            — its documents, chunks, index and chat sessions; the others stay as they are now
          </span>
        </span>
      </label>
      {draft.scopeKind === 'collection' ? (
        <div className="restore-suboptions">
          {overview ? (
            overview.collections.length > 0 ? (
              overview.collections.map((c) => (
                <label key={c.id} className="row">
                  <input
                    type="radio"
                    name="collection"
                    checked={draft.collection === c.id}
                    onChange={() => onChange({ collection: c.id })}
                  />
                  {c.name}{' '}
                  <span className="muted small">
                    {formatCount(c.chunksAfter)} chunks in the backup
                  </span>
                </label>
              ))
            ) : (
              <p className="muted">This backup holds no collections.</p>
            )
          ) : (
            <Loading label="Reading the backup's collections…" />
          )}
        </div>
      ) : null}
      <label className="restore-option">
        <input
          type="radio"
          name="scope"
          checked={draft.scopeKind === 'paths'}
          onChange={() => onChange({ scopeKind: 'paths' })}
        />
        <span>
          <strong>Some files or folders</strong>
        </span>
      </label>
      {draft.scopeKind === 'paths' ? (
        <div className="restore-suboptions field">
          <label htmlFor="restore-paths" className="field-label">
            One path per line, inside the data folder
          </label>
          <textarea
            id="restore-paths"
            className="input mono"
            rows={3}
            value={draft.paths}
            placeholder="config/settings.yaml"
            onChange={(event) => onChange({ paths: event.target.value })}
          />
        </div>
      ) : null}
    </fieldset>
  );
}
