import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { appSession, useSessionState } from '../../../app/app-session';
import { useCrm } from '../../../app/crm-context';
import { authorizedFetch } from '../../../sync/authenticated-transport';
import { Dialog } from '../../../ui/Dialog';
import { formatDate, formatFullDateTime } from '../../../ui/format';
import { useObservable } from '../../../ui/useObservable';
import { run } from '../settings-action';
import {
  type ApiKey,
  apiKeyKeys,
  createApiKey,
  describeScopes,
  fetchApiKeys,
  type NewApiKey,
  revokeApiKey,
} from './ApiKeys.queries';
import { ApiKeysForm } from './ApiKeysForm';
import './ApiKeys.css';

const day = (iso: string | null) => (iso ? formatDate(iso) : '—');

function statusOf(key: ApiKey, now: number): string {
  if (key.revokedAt) return 'Revoked';
  if (key.expiresAt && Date.parse(key.expiresAt) <= now) return 'Expired';
  return 'Active';
}

/**
 * API keys of the public API (administrators only): who each acts as, its role and grants, expiry
 * and last use; a new key's secret shows once; revoking takes effect on the key's next request.
 * Keys live on the server, so the area needs a signed-in session.
 */
export function ApiKeysSection() {
  const { repos, user } = useCrm();
  const session = useSessionState();
  const serverUrl = session.status === 'signed-in' ? session.serverUrl : undefined;
  const client = useQueryClient();
  const [creating, setCreating] = useState(false);
  const users = useObservable(() => repos.user.observe(), [], [repos]);
  const roles = useObservable(() => repos.userRole.observe(), [], [repos]);
  const keys = useQuery({
    queryKey: apiKeyKeys.list(serverUrl ?? ''),
    queryFn: ({ signal }) => fetchApiKeys(authorizedFetch(appSession()), serverUrl ?? '', signal),
    enabled: serverUrl !== undefined,
  });
  if (serverUrl === undefined) {
    return (
      <p className="muted pad">API keys live on the sync server: sign in to a server to create and revoke them.</p>
    );
  }
  const fetcher = authorizedFetch(appSession());
  const refresh = () => client.invalidateQueries({ queryKey: apiKeyKeys.all });
  const nameOf = (
    id: string,
    list: readonly { id: string; name?: string; firstName?: string; lastName?: string }[],
  ) => {
    const found = list.find((r) => r.id === id);
    return found ? (found.name ?? `${found.firstName ?? ''} ${found.lastName ?? ''}`.trim()) : id;
  };
  const now = Date.now();

  return (
    <section className="api-keys" aria-label="API keys">
      <div className="toolbar">
        <h2>API keys</h2>
        <span className="spacer" />
        <button type="button" className="primary" onClick={() => setCreating(true)}>
          New API key
        </button>
      </div>
      <p className="muted settings-intro">
        Keys for other systems calling the public API ({serverUrl}/api/v1, OpenAPI at /api/v1/openapi.json). A key acts
        as a user, under the narrowest of its role, that user’s role and its grants, with the same own/team/all scope as
        sync.
      </p>
      {keys.isError && (
        <p className="form-error" role="alert">
          {keys.error.message}
        </p>
      )}
      <table className="api-keys-table">
        <thead>
          <tr>
            <th>Name</th>
            <th>Key</th>
            <th>Acts as</th>
            <th>Role</th>
            <th>Grants</th>
            <th>Expires</th>
            <th>Last used</th>
            <th>Status</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {(keys.data ?? []).map((key) => {
            const status = statusOf(key, now);
            return (
              <tr key={key.id} className={status === 'Active' ? undefined : 'inactive'}>
                <td>{key.name}</td>
                <td>
                  <code>{key.prefix}…</code>
                </td>
                <td>{nameOf(key.userId, users)}</td>
                <td>{nameOf(key.roleId, roles)}</td>
                <td>{describeScopes(key.scopes)}</td>
                <td>{day(key.expiresAt)}</td>
                <td>{key.lastUsedAt ? formatFullDateTime(key.lastUsedAt) : 'never'}</td>
                <td>{status}</td>
                <td>
                  {status === 'Active' && (
                    <button
                      type="button"
                      className="danger"
                      aria-label={`Revoke ${key.name}`}
                      onClick={() =>
                        void run(async () => {
                          await revokeApiKey(fetcher, serverUrl, key.id);
                          await refresh();
                        }, 'API key revoked')
                      }
                    >
                      Revoke
                    </button>
                  )}
                </td>
              </tr>
            );
          })}
          {keys.data?.length === 0 && (
            <tr>
              <td colSpan={9} className="muted">
                No API keys yet.
              </td>
            </tr>
          )}
        </tbody>
      </table>
      <Dialog title="New API key" open={creating} onClose={() => setCreating(false)} wide>
        {creating && (
          <ApiKeysForm
            users={users.map((u) => ({ id: u.id, label: `${`${u.firstName} ${u.lastName}`.trim()} <${u.email}>` }))}
            roles={roles.map((r) => ({ id: r.id, label: r.name }))}
            defaultUserId={user.id}
            create={async (input: NewApiKey) => {
              const created = await createApiKey(fetcher, serverUrl, input);
              await refresh();
              return created;
            }}
            onDone={() => setCreating(false)}
          />
        )}
      </Dialog>
    </section>
  );
}
