/**
 * The server's API keys (`/api-keys`, sync-server/README.md "Public API"): a server-only resource,
 * never in the local database, so it goes through react-query with the session's token.
 */

export type Grant = 'read' | 'write';

export interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  userId: string;
  roleId: string;
  scopes: Record<string, Grant>;
  expiresAt: string | null;
  createdAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

export interface NewApiKey {
  name: string;
  userId: string;
  roleId: string;
  scopes: Record<string, Grant>;
  expiresAt?: string;
}

/** The server's refusal: its message and the field at fault. */
export class ApiKeyError extends Error {
  override readonly name = 'ApiKeyError';
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export const apiKeyKeys = {
  all: ['api-keys'] as const,
  list: (serverUrl: string) => [...apiKeyKeys.all, serverUrl] as const,
};

async function answer<T>(response: Response): Promise<T> {
  const body = (await response.json().catch(() => ({}))) as T & { error?: string; field?: string };
  if (!response.ok) throw new ApiKeyError(body.error ?? `the server answered ${response.status}`, body.field);
  return body;
}

export async function fetchApiKeys(fetcher: typeof fetch, serverUrl: string, signal?: AbortSignal): Promise<ApiKey[]> {
  const body = await answer<{ data: ApiKey[] }>(await fetcher(`${serverUrl}/api-keys`, { signal: signal ?? null }));
  return body.data;
}

/** Creates a key; the answer's secret is the only time it is ever shown. */
export async function createApiKey(
  fetcher: typeof fetch,
  serverUrl: string,
  input: NewApiKey,
): Promise<{ key: ApiKey; secret: string }> {
  return answer(
    await fetcher(`${serverUrl}/api-keys`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(input),
    }),
  );
}

export async function revokeApiKey(fetcher: typeof fetch, serverUrl: string, id: string): Promise<ApiKey> {
  return answer(await fetcher(`${serverUrl}/api-keys/${encodeURIComponent(id)}/revoke`, { method: 'POST' }));
}

/** What a key may do, in words for the list: "contact: write, deal: read" or "everything: read". */
export function describeScopes(scopes: Readonly<Record<string, Grant>>): string {
  return Object.entries(scopes)
    .map(([entity, grant]) => `${entity === '*' ? 'everything' : entity}: ${grant}`)
    .join(', ');
}
