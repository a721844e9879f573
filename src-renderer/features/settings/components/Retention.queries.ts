/**
 * The server's retention runs (`/retention/runs`, `/retention/run`): server-only data, never in the
 * local database, so it goes through react-query with the session's token (administrators only).
 */

export interface RetentionPolicyReport {
  policyId: string;
  name: string;
  target: string;
  action: string;
  cutoff: string;
  matched: number;
  applied: number;
  sampleIds: string[];
  error?: string;
}

export interface RetentionRun {
  id: string;
  startedAt: string;
  finishedAt: string;
  dryRun: boolean;
  trigger: string;
  actorId: string;
  report: RetentionPolicyReport[];
}

export const retentionKeys = {
  all: ['retention-runs'] as const,
  list: (serverUrl: string) => [...retentionKeys.all, serverUrl] as const,
};

async function answer<T>(response: Response): Promise<T> {
  const body = (await response.json().catch(() => ({}))) as T & { error?: string };
  if (!response.ok) throw new Error(body.error ?? `the server answered ${response.status}`);
  return body;
}

export async function fetchRetentionRuns(fetcher: typeof fetch, serverUrl: string, signal?: AbortSignal) {
  const body = await answer<{ runs: RetentionRun[] }>(
    await fetcher(`${serverUrl}/retention/runs?limit=10`, { signal: signal ?? null }),
  );
  return body.runs;
}

export async function startRetentionRun(fetcher: typeof fetch, serverUrl: string, dryRun: boolean) {
  const response = await fetcher(`${serverUrl}/retention/run`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ dryRun }),
  });
  return (await answer<{ run: { id: string; policies: RetentionPolicyReport[] } }>(response)).run;
}
