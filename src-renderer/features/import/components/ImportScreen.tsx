import { useId, useRef } from 'react';
import { getEntity } from '../../../../src-shared/entities/registry';
import { IMPORT_ENTITIES, type ImportEntityName, isImportEntity } from '../../../../src-shared/import/dedupe-keys';
import { problemText } from '../../../../src-shared/import/error-report';
import { useCan } from '../../../app/crm-context';
import { useNavigation } from '../../../app/navigation';
import '../import.css';
import { downloadReport, useImportSession } from '../useImportSession';
import { MappingTable } from './MappingTable';
import { PreviewTable } from './PreviewTable';
import { RecentImports } from './RecentImports';

const SCREEN_OF: Record<ImportEntityName, 'companies' | 'contacts' | 'leads' | 'deals'> = {
  company: 'companies',
  contact: 'contacts',
  lead: 'leads',
  deal: 'deals',
};

const ENTITY_OF: Readonly<Record<string, ImportEntityName>> = {
  companies: 'company',
  contacts: 'contact',
  leads: 'lead',
  deals: 'deal',
};

/** The list the user came from (Contacts → Alt+I imports contacts), kept as they move around. */
let lastList: ImportEntityName = ENTITY_OF[useNavigation.getState().route.screen] ?? 'contact';
useNavigation.subscribe((state) => {
  lastList = ENTITY_OF[state.route.screen] ?? lastList;
});

/** Import of companies, contacts, leads and deals from CSV or XLSX: `#/import?tab=<entity>`. */
export function ImportScreen() {
  const route = useNavigation((s) => s.route);
  const go = useNavigation((s) => s.go);
  const entity: ImportEntityName = isImportEntity(route.tab ?? '') ? (route.tab as ImportEntityName) : lastList;
  const def = getEntity(entity);
  const canCreate = useCan(entity, 'create');
  const session = useImportSession(entity);
  const { file, plan, phase, result } = session;
  const fileInput = useRef<HTMLInputElement>(null);
  const inputId = useId();
  const work = plan ? plan.counts.create + plan.counts.update : 0;

  return (
    <div className="import-screen">
      <div className="toolbar">
        <h2>Import</h2>
        <span className="muted">Companies, contacts, leads and deals from a CSV or Excel file</span>
      </div>
      <fieldset className="import-kinds" aria-label="What to import">
        {IMPORT_ENTITIES.map((name) => (
          <button
            key={name}
            type="button"
            aria-pressed={name === entity}
            className={name === entity ? 'selected' : undefined}
            onClick={() => go({ screen: 'import', tab: name })}
          >
            {getEntity(name).plural}
          </button>
        ))}
      </fieldset>

      {!canCreate && <p className="empty">Your role cannot create {def.plural.toLowerCase()}.</p>}

      {canCreate && phase === 'choose' && (
        <section className="section import-choose">
          <label htmlFor={inputId} className="import-drop">
            <strong>Choose a file of {def.plural.toLowerCase()}</strong>
            <span className="muted">
              CSV or XLSX with a header row. Columns are matched to fields by name; you can change them next.
            </span>
          </label>
          <input
            id={inputId}
            ref={fileInput}
            type="file"
            accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            onChange={(e) => {
              const picked = e.target.files?.[0];
              if (picked) void session.choose(picked);
              e.target.value = '';
            }}
          />
        </section>
      )}
      {session.error && (
        <p className="import-error" role="alert">
          {session.error}
        </p>
      )}

      {file && phase === 'review' && (
        <>
          <div className="import-summary section">
            <div>
              <strong>{file.name}</strong> · {file.table.rows.length} rows
            </div>
            <fieldset className="import-duplicates">
              <legend>
                When a {def.label.toLowerCase()} already exists ({dedupeText(entity)})
              </legend>
              <label>
                <input
                  type="radio"
                  name="duplicates"
                  checked={session.onDuplicate === 'update'}
                  onChange={() => session.setOnDuplicate('update')}
                />
                Update it with the file’s values
              </label>
              <label>
                <input
                  type="radio"
                  name="duplicates"
                  checked={session.onDuplicate === 'skip'}
                  onChange={() => session.setOnDuplicate('skip')}
                />
                Skip the row
              </label>
            </fieldset>
            {!plan && <p className="muted">Checking the rows against your {def.plural.toLowerCase()}…</p>}
            {plan && (
              <p className="import-counts" aria-live="polite">
                <span className="badge badge-new">{plan.counts.create} new</span>
                <span className="badge badge-qualified">{plan.counts.update} to update</span>
                <span className="badge badge-inactive">{plan.counts.skip} skipped</span>
                <span className="badge badge-lost">{plan.counts.error} with problems</span>
              </p>
            )}
            <div className="import-actions">
              <button
                type="button"
                className="primary"
                disabled={!plan || work === 0}
                onClick={() => void session.run()}
              >
                Import {work} {work === 1 ? 'row' : 'rows'}
              </button>
              {plan && plan.counts.error + plan.counts.skip > 0 && (
                <button type="button" onClick={() => downloadReport(file.name, plan)}>
                  Download problem report
                </button>
              )}
              <button type="button" onClick={session.reset}>
                Choose another file
              </button>
            </div>
          </div>
          <MappingTable entity={def} table={file.table} mapping={session.mapping} onChange={session.changeMapping} />
          {plan && <PreviewTable entity={def} table={file.table} mapping={session.mapping} plan={plan} />}
        </>
      )}

      {phase === 'running' && session.progress && (
        <section className="section import-progress" aria-live="polite">
          <label>
            Importing {session.progress.done} of {session.progress.total} rows…
            <progress max={session.progress.total} value={session.progress.done} />
          </label>
        </section>
      )}

      {phase === 'done' && result && file && plan && (
        <section className="section import-result" aria-labelledby="import-result-title">
          <h3 id="import-result-title">Import finished</h3>
          <p>
            {result.created} created · {result.updated} updated · {result.skipped} skipped · {result.failed}{' '}
            {result.failed === 1 ? 'row' : 'rows'} with problems
          </p>
          {result.problems.length > 0 && (
            <ul className="import-problems" aria-label="Problems">
              {result.problems.slice(0, 50).map((p) => (
                <li key={`${p.row}-${p.column}-${p.problem}`}>{problemText(p)}</li>
              ))}
              {result.problems.length > 50 && (
                <li className="muted">…and {result.problems.length - 50} more in the report</li>
              )}
            </ul>
          )}
          <div className="import-actions">
            <button type="button" className="primary" onClick={() => go({ screen: SCREEN_OF[entity] })}>
              Open {def.plural}
            </button>
            {result.problems.length + result.skipped > 0 && (
              <button type="button" onClick={() => downloadReport(file.name, plan)}>
                Download problem report
              </button>
            )}
            <button type="button" onClick={session.reset}>
              Import another file
            </button>
          </div>
        </section>
      )}

      <RecentImports journal={session.journal} version={result ? 1 : 0} />
    </div>
  );
}

function dedupeText(entity: ImportEntityName): string {
  if (entity === 'company') return 'same domain, or same name';
  if (entity === 'deal') return 'same name at the same company';
  return 'same email';
}
