import { useState } from 'react';
import { getEntity } from '../../../../src-shared/entities/registry';
import type { EntityDef } from '../../../../src-shared/schema/define-entity';
import { ValidationError } from '../../../../src-shared/schema/validation-error';
import { useCan, useRepos } from '../../../app/crm-context';
import type { EntityRepository } from '../../../db/entity-repository';
import { formatValue } from '../../../ui/format';
import { errorMessage } from '../../../ui/toasts';
import { useObservable } from '../../../ui/useObservable';
import { deleteWithUndo } from '../../records';
import { addSocialProfile, type ProfileSubjectType } from '../social-profiles.service';
import '../timeline.css';

const PLATFORM_ICON: Record<string, string> = {
  linkedin: 'in',
  twitter: '𝕏',
  facebook: 'f',
  instagram: '◎',
  github: '⌥',
  youtube: '▶',
  tiktok: '♪',
  other: '↗',
};

const compact = new Intl.NumberFormat(undefined, { notation: 'compact' });

const PLATFORM = getEntity('socialProfile').allFields.platform;
/** "LinkedIn", "GitHub": the registry's labels of the platform values. */
const platformName = (platform: string) => (PLATFORM ? formatValue(PLATFORM, platform, {}) : platform);

/** A record's social profiles: open one in the browser, add one by its URL, remove one (with Undo). */
export function SocialProfiles({ subjectType, subjectId }: { subjectType: ProfileSubjectType; subjectId: string }) {
  const repos = useRepos();
  const canCreate = useCan('socialProfile', 'create');
  const canDelete = useCan('socialProfile', 'delete');
  const profiles = useObservable(() => repos.socialProfile.observe({ where: { subjectId } }), undefined, [
    repos,
    subjectId,
  ]);
  const [adding, setAdding] = useState(false);
  const [url, setUrl] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  const cancel = () => {
    setAdding(false);
    setError(undefined);
    setUrl('');
  };

  const submit = async (event: { preventDefault(): void }) => {
    event.preventDefault();
    setBusy(true);
    try {
      await addSocialProfile(repos, { subjectType, subjectId, url });
      setUrl('');
      setError(undefined);
      setAdding(false);
    } catch (e) {
      setError(
        e instanceof ValidationError
          ? e.problems.map((p) => `${p.field === 'url' ? 'Profile URL' : p.field} ${p.problem}`).join('; ')
          : errorMessage(e),
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="section card-360 social-profiles" aria-labelledby={`social-${subjectId}`}>
      <header className="card-360-head">
        <h3 id={`social-${subjectId}`}>Social profiles</h3>
        {canCreate && !adding && (
          <button type="button" onClick={() => setAdding(true)}>
            Add profile
          </button>
        )}
      </header>
      {profiles === undefined ? (
        <p className="muted">Loading…</p>
      ) : profiles.length === 0 && !adding ? (
        <p className="muted">No social profiles yet.</p>
      ) : (
        <ul className="profiles-360">
          {profiles.map((p) => (
            <li key={p.id}>
              <span className={`platform-badge platform-${p.platform}`} aria-hidden="true">
                {PLATFORM_ICON[p.platform] ?? '↗'}
              </span>
              <a href={p.url} target="_blank" rel="noreferrer noopener" title={p.url}>
                {platformName(p.platform)}
                {p.handle ? ` · ${p.handle}` : ''}
              </a>
              {p.verified && <span className="badge badge-active">Verified</span>}
              {p.followers !== undefined && <span className="muted">{compact.format(p.followers)} followers</span>}
              {canDelete && (
                <button
                  type="button"
                  className="icon-button"
                  aria-label={`Remove ${platformName(p.platform)} profile${p.handle ? ` ${p.handle}` : ''}`}
                  onClick={() =>
                    void deleteWithUndo(repos.socialProfile as unknown as EntityRepository<EntityDef>, p.id)
                  }
                >
                  ×
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {adding && (
        <form className="form-360" onSubmit={(e) => void submit(e)} noValidate>
          <label htmlFor={`social-url-${subjectId}`}>Profile URL</label>
          <div className="row-360">
            <input
              id={`social-url-${subjectId}`}
              type="url"
              value={url}
              placeholder="https://www.linkedin.com/in/…"
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? `social-error-${subjectId}` : undefined}
              onChange={(e) => setUrl(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Escape') cancel();
              }}
              // biome-ignore lint/a11y/noAutofocus: the field the user just asked for.
              autoFocus
            />
            <button type="submit" className="primary" disabled={busy}>
              Add
            </button>
            <button type="button" onClick={cancel}>
              Cancel
            </button>
          </div>
          {error && (
            <p className="form-error" id={`social-error-${subjectId}`} role="alert">
              {error}
            </p>
          )}
        </form>
      )}
    </section>
  );
}
