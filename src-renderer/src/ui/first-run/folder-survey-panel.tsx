import { Check, FolderSearch } from 'lucide-react';
import type { FolderSurvey, ProfileId, ProfileInfo } from '../../../../src-shared/models/profiles';
import { categoryInfo } from '../../../../src-shared/models/categories';
import { formatBytes, formatCount } from '../../lib/format';
import { Spinner } from '../common/loading';
import { confidenceText, scopeCount } from '../profile/profile-words';

/**
 * The select of every profile Tend knows: the detected one preselected, or none (Tend never
 * guesses) until the person chooses.
 */
export function ProfileSelect(props: {
  profiles: ReadonlyArray<ProfileInfo>;
  value: ProfileId | '';
  detected: ProfileId | null;
  disabled: boolean;
  onChange: (profile: ProfileId | '') => void;
}): React.JSX.Element {
  const { profiles, value, detected, disabled, onChange } = props;
  return (
    <div className="field">
      <label htmlFor="folder-profile">What kind of folder it is</label>
      <select
        id="folder-profile"
        className="input"
        value={value}
        disabled={disabled}
        onChange={(event) => onChange(event.target.value)}
      >
        {detected === null ? <option value="">Choose the app that keeps it…</option> : null}
        {profiles.map((profile) => (
          <option key={profile.id} value={profile.id}>
            {profile.name}
            {profile.id === detected ? ' (detected)' : ''}
          </option>
        ))}
      </select>
    </div>
  );
}

/** The stores and scopes of a folder read as a profile: what Tend would look after. */
export function SurveyFigures(props: { survey: FolderSurvey }): React.JSX.Element {
  const { survey } = props;
  const present = survey.stores.filter((store) => store.instances > 0);
  return (
    <>
      {present.length > 0 ? (
        <table className="table survey-stores" aria-label="Stores found">
          <thead>
            <tr>
              <th scope="col">Store</th>
              <th scope="col">Kind of data</th>
              <th scope="col" className="numeric">
                Size
              </th>
            </tr>
          </thead>
          <tbody>
            {present.map((store) => (
              <tr key={store.id} data-testid={`survey-store-${store.id}`}>
                <td>
                  {store.title}
                  {store.instances > 1 ? (
                    <span className="muted small"> ({formatCount(store.instances)})</span>
                  ) : null}
                </td>
                <td>{categoryInfo[store.category].label}</td>
                <td className="numeric" data-bytes={store.bytes}>
                  {formatBytes(store.bytes)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="muted">None of this profile’s stores is in the folder yet.</p>
      )}
      {survey.scopes.length > 0 ? (
        <ul className="survey-scopes" aria-label="What a restore can name">
          {survey.scopes.map((scope) => (
            <li key={scope.id} data-testid={`survey-scope-${scope.id}`}>
              <strong>{scopeCount(scope)}</strong>
              {scope.names.length > 0 ? (
                <span className="muted">
                  : {scope.names.join(', ')}
                  {scope.count > scope.names.length ? ', …' : ''}
                </span>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
    </>
  );
}

/**
 * A folder whose profile Tend detected, read as that profile (or as the one the person
 * chose): its name and how sure Tend is, its stores with their sizes, its scopes ("3
 * entities"), and a question before anything is adopted. Nothing has been written yet.
 */
export function FolderSurveyPanel(props: {
  survey: FolderSurvey;
  profiles: ReadonlyArray<ProfileInfo>;
  chosen: ProfileId | '';
  reading: boolean;
  busy: boolean;
  onChoose: (profile: ProfileId | '') => void;
  onAdopt: () => void;
  onCancel: () => void;
}): React.JSX.Element {
  const { survey, profiles, chosen, reading, busy, onChoose, onAdopt, onCancel } = props;
  const asDetected = survey.profile !== null && survey.profile === survey.detected;
  return (
    <section className="panel" aria-labelledby="survey-title" data-testid="folder-survey">
      <h2 className="panel-title" id="survey-title">
        <FolderSearch size={18} aria-hidden />{' '}
        {asDetected ? `Detected: ${survey.name}` : `Read as ${survey.name ?? '…'}`}
      </h2>
      <p className="survey-head">
        <span className="mono">{survey.path}</span>
        {asDetected ? (
          <span className="badge badge-ok" data-testid="survey-confidence">
            <Check size={12} aria-hidden /> detected, {confidenceText(survey.confidence)}
          </span>
        ) : (
          <span className="badge badge-warning" data-testid="survey-confidence">
            chosen by hand; its markers match {confidenceText(survey.confidence)}
          </span>
        )}
      </p>
      <SurveyFigures survey={survey} />
      <ProfileSelect
        profiles={profiles}
        value={chosen}
        detected={survey.detected}
        disabled={busy || reading}
        onChange={onChoose}
      />
      <p className="muted">
        Tend has written nothing into the folder. It keeps its own state elsewhere, and changes the
        folder only when you back up, restore or clean up and confirm it.
      </p>
      <div className="form-actions">
        <button type="button" className="button" onClick={onCancel} disabled={busy}>
          Choose another folder
        </button>
        <button
          type="button"
          className="button button-primary"
          onClick={onAdopt}
          disabled={busy || reading || survey.profile === null}
        >
          {busy || reading ? <Spinner /> : null} Manage as {survey.name ?? '…'}
        </button>
      </div>
    </section>
  );
}
