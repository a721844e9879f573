import { useState } from 'react';
import type { SubjectBundle } from '../../../../src-shared/privacy/subject-bundle';
import { appSession, useSessionState } from '../../../app/app-session';
import { useCrm } from '../../../app/crm-context';
import { authorizedFetch } from '../../../sync/authenticated-transport';
import { bundleFor, deviceRecordsAbout, unsyncedIds } from '../device-bundle';

/** Hands the bundle to the browser (or Electron's download handling) as a JSON file. */
function download(bundle: SubjectBundle): void {
  const blob = new Blob([`${JSON.stringify(bundle, null, 2)}\n`], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = `${bundle.subject.kind}-${bundle.subject.id}-data-bundle.json`;
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** `text` fits beside the button; `detail` (the bundle's note, or the error) is its tooltip. */
type Status =
  | { state: 'idle' }
  | { state: 'working' }
  | { state: 'done'; text: string; detail: string }
  | { state: 'failed'; text: string; detail: string };

async function serverBundle(serverUrl: string, kind: string, id: string): Promise<SubjectBundle> {
  const response = await authorizedFetch(appSession())(
    `${serverUrl.replace(/\/+$/, '')}/privacy/subjects/${kind}/${encodeURIComponent(id)}/export`,
  );
  if (!response.ok) {
    const body = (await response.json().catch(() => ({}))) as { error?: string };
    throw new Error(body.error ?? `the server answered ${response.status}`);
  }
  return (await response.json()) as SubjectBundle;
}

/**
 * "Download data bundle" on a contact's or lead's detail: everything held about the person (GDPR
 * access and portability), from the server merged with what this device has not synced yet, or,
 * offline or without the server's permission, from this device alone with a note saying so.
 */
export function DataBundleButton({ kind, id }: { kind: 'contact' | 'lead'; id: string }) {
  const { db, mode, sync, user } = useCrm();
  const session = useSessionState();
  const [status, setStatus] = useState<Status>({ state: 'idle' });
  const run = async () => {
    setStatus({ state: 'working' });
    try {
      const device = await deviceRecordsAbout(db, kind, id);
      const serverUrl = mode === 'signed-in' && session.status === 'signed-in' ? session.serverUrl : undefined;
      let server: SubjectBundle | undefined;
      let note: string | undefined;
      if (serverUrl && navigator.onLine) {
        try {
          server = await serverBundle(serverUrl, kind, id);
        } catch (error) {
          const why = error instanceof Error ? error.message : String(error);
          note = `The server's part is missing (${why}): this bundle holds only the data on this device.`;
        }
      }
      const unsynced = server ? await unsyncedIds(sync?.replication$.value) : undefined;
      const bundle = bundleFor({
        kind,
        id,
        device,
        ...(server ? { server } : {}),
        ...(unsynced ? { unsynced } : {}),
        ...(note ? { note } : {}),
        userId: user.id,
        now: new Date(),
      });
      download(bundle);
      const count = Object.values(bundle.records).reduce((n, rows) => n + rows.length, 0);
      const withUnsynced = unsynced && unsynced.size > 0 ? ' and this device’s unsynced changes' : '';
      setStatus({
        state: 'done',
        text: server ? `${count} records` : 'This device’s data only',
        detail: server ? `Bundle of ${count} records from the server${withUnsynced}.` : (bundle.note ?? ''),
      });
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      setStatus({ state: 'failed', text: 'Bundle failed', detail });
    }
  };
  return (
    <>
      <button type="button" onClick={() => void run()} disabled={status.state === 'working'}>
        {status.state === 'working' ? 'Preparing bundle…' : 'Download data bundle'}
      </button>
      {(status.state === 'done' || status.state === 'failed') && (
        <output className={status.state === 'failed' ? 'error' : 'hint'} aria-live="polite" title={status.detail}>
          {status.text}
        </output>
      )}
    </>
  );
}
