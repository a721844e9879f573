import { useEffect, useState } from 'react';
import { getEntity, isEntityName } from '../../../../src-shared/entities/registry';
import { displayName } from '../../../../src-shared/schema/display-name';
import { useRepos } from '../../../app/crm-context';
import { repoOf } from '../../../ui/useRecordName';

/** Up to this many records of the workflow's kind are offered (newest first), as a reference picker does. */
const CHOICES = 500;

/** "Run now on…": a record of the workflow's kind from this device, run on by the server at once. */
export function WorkflowRunNow({
  entityKind,
  busy,
  onRun,
}: {
  entityKind: string;
  busy: boolean;
  onRun: (recordId: string) => void;
}) {
  const repos = useRepos();
  const [choices, setChoices] = useState<readonly [string, string][]>([]);
  const [recordId, setRecordId] = useState('');
  useEffect(() => {
    const repo = repoOf(repos, entityKind);
    if (!repo || !isEntityName(entityKind)) return;
    const entity = getEntity(entityKind);
    let live = true;
    void repo.list({ limit: CHOICES }).then((records) => {
      const named = records.map((r) => [String(r.id), displayName(entity, r)] as [string, string]);
      named.sort((a, b) => a[1].localeCompare(b[1]));
      if (live) setChoices(named);
    });
    return () => {
      live = false;
    };
  }, [repos, entityKind]);
  const label = isEntityName(entityKind) ? getEntity(entityKind).label.toLowerCase() : entityKind;
  return (
    <form
      className="workflow-run-now"
      onSubmit={(event) => {
        event.preventDefault();
        onRun(recordId);
      }}
    >
      <label htmlFor="workflow-run-now-record">Run now on</label>
      <select id="workflow-run-now-record" value={recordId} onChange={(e) => setRecordId(e.target.value)}>
        <option value="">choose a {label}…</option>
        {choices.map(([value, name]) => (
          <option key={value} value={value}>
            {name}
          </option>
        ))}
      </select>
      <button type="submit" disabled={busy || recordId === ''}>
        {busy ? 'Running…' : 'Run now'}
      </button>
    </form>
  );
}
