import { useEffect, useId, useMemo, useState } from 'react';
import { AUDIT_ACTIONS } from '../../../src-shared/entities/audit.entity';
import { ENTITIES } from '../../../src-shared/entities/registry';
import { displayName } from '../../../src-shared/schema/display-name';
import { useCrm } from '../../app/crm-context';
import { useNavigation } from '../../app/navigation';
import { useObservable } from '../../ui/useObservable';
import { type AuditFilter, auditFilterProblems } from './audit.queries';
import { actionText } from './components/AuditEntry';
import { AuditExportButton } from './components/AuditExportButton';
import { AuditList } from './components/AuditList';
import './audit.css';

const KINDS = ENTITIES.filter((e) => e.storage === 'document' && e.name !== 'auditLog')
  .map((e) => ({ name: e.name, label: e.label }))
  .sort((a, b) => a.label.localeCompare(b.label));

/** The global audit log: every change this device holds, newest first, with filters. */
export function AuditScreen() {
  const { repos, user } = useCrm();
  const route = useNavigation((s) => s.route);
  const go = useNavigation((s) => s.go);
  const formId = useId();
  const routeRecord = route.screen === 'audit' ? route.id : undefined;
  const [filter, setFilter] = useState<AuditFilter>(() => (routeRecord ? { recordId: routeRecord } : {}));
  useEffect(() => {
    if (routeRecord) setFilter((f) => ({ ...f, recordId: routeRecord }));
  }, [routeRecord]);
  const users = useObservable(() => repos.user.observe({}), [], [repos]);
  const actors = useMemo(() => {
    const list = users.map((u) => ({ id: String(u.id), name: displayName(repos.user.entity, u) }));
    if (!list.some((u) => u.id === user.id)) list.unshift({ id: user.id, name: `${user.name} (you)` });
    return list.sort((a, b) => a.name.localeCompare(b.name));
  }, [users, user, repos]);
  const problems = auditFilterProblems(filter);
  const set = (patch: Partial<AuditFilter>) => {
    setFilter((f) => {
      const next: AuditFilter = { ...f, ...patch };
      for (const [k, v] of Object.entries(next)) if (v === '' || v === undefined) delete next[k as keyof AuditFilter];
      return next;
    });
    if ('recordId' in patch && routeRecord) go({ screen: 'audit' });
  };
  const active = Object.keys(filter).length > 0;
  const problemOf = (field: string) => problems.find((p) => p.field === field)?.problem;
  const input = (field: keyof AuditFilter) => `${formId}-${field}`;

  return (
    <div className="audit-screen">
      <div className="toolbar">
        <h2>Audit log</h2>
        <span className="muted">Who changed what, and when</span>
        <span className="spacer" />
        <AuditExportButton filter={filter} actorName={(id) => actors.find((a) => a.id === id)?.name ?? id} />
      </div>
      <form className="audit-filters" aria-label="Audit filters" onSubmit={(e) => e.preventDefault()}>
        <div className="audit-filter">
          <label htmlFor={input('entityKind')}>Entity</label>
          <select
            id={input('entityKind')}
            value={filter.entityKind ?? ''}
            onChange={(e) => set({ entityKind: e.target.value })}
          >
            <option value="">All entities</option>
            {KINDS.map((k) => (
              <option key={k.name} value={k.name}>
                {k.label}
              </option>
            ))}
          </select>
        </div>
        <div className="audit-filter">
          <label htmlFor={input('action')}>Action</label>
          <select id={input('action')} value={filter.action ?? ''} onChange={(e) => set({ action: e.target.value })}>
            <option value="">All actions</option>
            {AUDIT_ACTIONS.map((a) => (
              <option key={a} value={a}>
                {actionText(a)}
              </option>
            ))}
          </select>
        </div>
        <div className="audit-filter">
          <label htmlFor={input('actorId')}>By</label>
          <select id={input('actorId')} value={filter.actorId ?? ''} onChange={(e) => set({ actorId: e.target.value })}>
            <option value="">Anyone</option>
            {actors.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </select>
        </div>
        <div className="audit-filter">
          <label htmlFor={input('recordId')}>Record id</label>
          <input
            id={input('recordId')}
            type="search"
            placeholder="Any record"
            value={filter.recordId ?? ''}
            onChange={(e) => set({ recordId: e.target.value })}
          />
        </div>
        <div className="audit-filter">
          <label htmlFor={input('from')}>From</label>
          <input
            id={input('from')}
            type="date"
            value={filter.from ?? ''}
            aria-invalid={problemOf('from') ? true : undefined}
            onChange={(e) => set({ from: e.target.value })}
          />
        </div>
        <div className="audit-filter">
          <label htmlFor={input('to')}>To</label>
          <input
            id={input('to')}
            type="date"
            value={filter.to ?? ''}
            aria-invalid={problemOf('to') ? true : undefined}
            onChange={(e) => set({ to: e.target.value })}
          />
        </div>
        <button
          type="button"
          disabled={!active}
          onClick={() => {
            setFilter({});
            if (routeRecord) go({ screen: 'audit' });
          }}
        >
          Clear filters
        </button>
      </form>
      {problems.length > 0 ? (
        <p className="form-error" role="alert">
          {problems
            .map((p) => `${p.field === 'to' ? 'To' : p.field === 'from' ? 'From' : p.field} ${p.problem}`)
            .join('; ')}
        </p>
      ) : (
        <AuditList filter={filter} showRecord label="Audit entries" />
      )}
    </div>
  );
}
