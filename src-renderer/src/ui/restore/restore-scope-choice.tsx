import { categories, categoryInfo } from '../../../../src-shared/models/categories';
import type { RestorableBackup, RestorePlanScope } from '../../../../src-shared/models/restore';
import { formatCount } from '../../lib/format';
import type { RestoreDraft } from '../../store/restore-slice';
import { Loading } from '../common/loading';
import { backupHoldsNone } from '../profile/profile-words';
import { useOpenProfile } from '../profile/use-open-profile';

/** "One entity" (one of a scope of the profile), with the ids the backup holds. */
function ProfileScopeChoice(props: {
  scope: RestorePlanScope;
  draft: RestoreDraft;
  onChange: (change: Partial<RestoreDraft>) => void;
}): React.JSX.Element {
  const { scope, draft, onChange } = props;
  const chosen = draft.scopeKind === 'scope' && draft.scope === scope.id;
  return (
    <>
      <label className="restore-option">
        <input
          type="radio"
          name="scope"
          checked={chosen}
          onChange={() => onChange({ scopeKind: 'scope', scope: scope.id, scopeItem: '' })}
        />
        <span>
          <strong>One {scope.singular}</strong>
          <span className="muted">
            {' '}
            — its files as the backup holds them; the other {scope.plural} stay as they are now
          </span>
        </span>
      </label>
      {chosen ? (
        <div className="restore-suboptions">
          {scope.items.map((item) => (
            <label key={item.id} className="row">
              <input
                type="radio"
                name={`scope-${scope.id}`}
                checked={draft.scopeItem === item.id}
                onChange={() => onChange({ scopeItem: item.id })}
              />
              {item.name}
              {item.name !== item.id ? <span className="muted small">{item.id}</span> : null}
            </label>
          ))}
        </div>
      ) : null}
    </>
  );
}

/**
 * Step 2 of the wizard: everything, some kinds of data, one collection, one of a scope of the
 * profile (an entity, a workspace), or some paths.
 */
export function RestoreScopeChoice(props: {
  backup: RestorableBackup;
  draft: RestoreDraft;
  onChange: (change: Partial<RestoreDraft>) => void;
}): React.JSX.Element {
  const { backup, draft, onChange } = props;
  const overview = draft.overview;
  const profile = useOpenProfile();
  // "One collection" is the native profile's scope (its rows merged into assistant.db); a
  // folder of another kind is offered its own scopes (an entity, a workspace), never that.
  const hideCollections = profile
    ? !profile.scopes.some((scope) => scope.id === 'collection')
    : overview !== null && overview.collections.length === 0 && (overview.scopes ?? []).length > 0;
  // The profile's scopes the backup holds none of, said once the backup has been read.
  const absentScopes =
    profile && overview
      ? profile.scopes.filter(
          (scope) =>
            scope.id !== 'collection' &&
            !(overview.scopes ?? []).some((held) => held.id === scope.id),
        )
      : [];
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
      {hideCollections ? null : (
        <>
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
        </>
      )}
      {(overview?.scopes ?? []).map((scope) => (
        <ProfileScopeChoice key={scope.id} scope={scope} draft={draft} onChange={onChange} />
      ))}
      {absentScopes.map((scope) => (
        <label key={scope.id} className="restore-option" data-testid={`scope-absent-${scope.id}`}>
          <input type="radio" name="scope" disabled />
          <span>
            <strong>One {scope.singular}</strong>
            <span className="muted"> — {backupHoldsNone(scope)}</span>
          </span>
        </label>
      ))}
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
