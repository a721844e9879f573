import { type FormEvent, useState } from 'react';
import { PERMISSION_ENTITIES } from '../../../../src-shared/auth/permissions';
import { getEntity } from '../../../../src-shared/entities/registry';
import { type ApiKey, ApiKeyError, type Grant, type NewApiKey } from './ApiKeys.queries';

interface Option {
  id: string;
  label: string;
}

interface ApiKeysFormProps {
  users: readonly Option[];
  roles: readonly Option[];
  defaultUserId: string;
  create: (input: NewApiKey) => Promise<{ key: ApiKey; secret: string }>;
  onDone: () => void;
}

const ENTITY_OPTIONS = [...PERMISSION_ENTITIES].map((name) => ({ name, label: getEntity(name).plural }));

/**
 * A new key: its name, the user it acts as, its role, what it may read or write, and when it
 * expires. After creating, the secret shows once, to copy; it is never shown again.
 */
export function ApiKeysForm({ users, roles, defaultUserId, create, onDone }: ApiKeysFormProps) {
  const [name, setName] = useState('');
  const [userId, setUserId] = useState(defaultUserId);
  const [roleId, setRoleId] = useState(roles[0]?.id ?? '');
  const [everything, setEverything] = useState<Grant | ''>('read');
  const [grants, setGrants] = useState<Record<string, Grant | ''>>({});
  const [expires, setExpires] = useState('');
  const [problem, setProblem] = useState<{ message: string; field?: string | undefined }>();
  const [created, setCreated] = useState<{ key: ApiKey; secret: string }>();
  const [busy, setBusy] = useState(false);

  if (created) {
    return (
      <div className="api-key-secret">
        <p>
          <strong>Copy the key now.</strong> It is shown only this once; the server keeps only a fingerprint of it.
        </p>
        <output aria-label="New API key" className="api-key-value">
          {created.secret}
        </output>
        <div className="form-actions">
          <button type="button" onClick={() => void navigator.clipboard?.writeText(created.secret)}>
            Copy
          </button>
          <button type="button" className="primary" onClick={onDone}>
            Done
          </button>
        </div>
      </div>
    );
  }

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const scopes: Record<string, Grant> = {};
    if (everything) scopes['*'] = everything;
    for (const [entity, grant] of Object.entries(grants)) if (grant) scopes[entity] = grant;
    setBusy(true);
    try {
      setCreated(
        await create({
          name,
          userId,
          roleId,
          scopes,
          ...(expires ? { expiresAt: new Date(`${expires}T23:59:59`).toISOString() } : {}),
        }),
      );
      setProblem(undefined);
    } catch (error) {
      setProblem({
        message: error instanceof Error ? error.message : String(error),
        field: error instanceof ApiKeyError ? error.field : undefined,
      });
    } finally {
      setBusy(false);
    }
  };
  const invalid = (field: string) => (problem?.field?.startsWith(field) ? true : undefined);

  return (
    <form className="api-key-form" onSubmit={(e) => void submit(e)}>
      <label>
        Name
        <input
          value={name}
          onChange={(e) => setName(e.target.value)}
          required
          maxLength={100}
          aria-invalid={invalid('name')}
        />
      </label>
      <label>
        Acts as
        <select
          aria-label="Acts as"
          value={userId}
          onChange={(e) => setUserId(e.target.value)}
          aria-invalid={invalid('userId')}
        >
          {users.map((u) => (
            <option key={u.id} value={u.id}>
              {u.label}
            </option>
          ))}
        </select>
      </label>
      <label>
        Role
        <select
          aria-label="Role"
          value={roleId}
          onChange={(e) => setRoleId(e.target.value)}
          aria-invalid={invalid('roleId')}
        >
          {roles.map((r) => (
            <option key={r.id} value={r.id}>
              {r.label}
            </option>
          ))}
        </select>
      </label>
      <label>
        Expires (optional)
        <input
          type="date"
          value={expires}
          onChange={(e) => setExpires(e.target.value)}
          aria-invalid={invalid('expiresAt')}
        />
      </label>
      <fieldset className="api-key-grants" aria-invalid={invalid('scopes')}>
        <legend>Grants (never beyond the role, nor beyond the user’s own role)</legend>
        <GrantRow label="Every entity" value={everything} onChange={setEverything} />
        {ENTITY_OPTIONS.map((e) => (
          <GrantRow
            key={e.name}
            label={e.label}
            value={grants[e.name] ?? ''}
            onChange={(grant) => setGrants((g) => ({ ...g, [e.name]: grant }))}
          />
        ))}
      </fieldset>
      {problem && (
        <p className="form-error" role="alert">
          {problem.message}
        </p>
      )}
      <div className="form-actions">
        <button type="button" onClick={onDone}>
          Cancel
        </button>
        <button type="submit" className="primary" disabled={busy}>
          Create key
        </button>
      </div>
    </form>
  );
}

function GrantRow({
  label,
  value,
  onChange,
}: {
  label: string;
  value: Grant | '';
  onChange: (grant: Grant | '') => void;
}) {
  return (
    <label className="api-key-grant">
      <span>{label}</span>
      <select aria-label={`${label} access`} value={value} onChange={(e) => onChange(e.target.value as Grant | '')}>
        <option value="">—</option>
        <option value="read">read</option>
        <option value="write">read & write</option>
      </select>
    </label>
  );
}
