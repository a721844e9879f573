import { useMemo } from 'react';
import { type DocumentEntityName, getEntity } from '../../../../src-shared/entities/registry';
import type { EntityDef } from '../../../../src-shared/schema/define-entity';
import type { FieldSpec } from '../../../../src-shared/schema/field';
import type { Repositories } from '../../../db/repositories';
import { formatValue } from '../../../ui/format';
import { useObservable } from '../../../ui/useObservable';
import { useReferenceNames } from '../useReferenceNames';

const PAGE = 50;
const HIDDEN_TYPES = new Set<FieldSpec['type']>(['text', 'json']);

/** The display fields first, then the next few short ones, then who owns it and when it was made. */
function columnsOf(entity: EntityDef): [string, FieldSpec][] {
  const fields = Object.entries(entity.fields).filter(([, f]) => !HIDDEN_TYPES.has(f.type));
  const display = fields.filter(([name]) => entity.display.includes(name));
  const rest = fields.filter(([name]) => !entity.display.includes(name)).slice(0, Math.max(0, 7 - display.length));
  return [
    ...display,
    ...rest,
    ['ownerId', entity.allFields.ownerId as FieldSpec],
    ['createdAt', entity.allFields.createdAt as FieldSpec],
  ];
}

/** The newest page of the selected entity, live. */
export function RecordTable({ repos, name }: { repos: Repositories; name: DocumentEntityName }) {
  const entity = getEntity(name);
  const records = useObservable(
    () => repos[name].observe({ limit: PAGE }),
    undefined as readonly Record<string, unknown>[] | undefined,
    [repos, name],
  );
  const columns = useMemo(() => columnsOf(entity), [entity]);
  const names = useReferenceNames(repos, columns, records);
  return (
    <section className="records" aria-labelledby="records-title">
      <header>
        <h2 id="records-title">{entity.plural}</h2>
        <p>{entity.description}</p>
      </header>
      {records === undefined ? (
        <p className="muted">Loading…</p>
      ) : records.length === 0 ? (
        <p className="muted">No {entity.plural.toLowerCase()} yet.</p>
      ) : (
        <div className="table-wrap">
          <table>
            <caption className="muted">
              Newest {Math.min(PAGE, records.length)} {entity.plural.toLowerCase()}
            </caption>
            <thead>
              <tr>
                {columns.map(([field, spec]) => (
                  <th key={field} scope="col">
                    {spec.label ?? field}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {records.map((record) => (
                <tr key={String(record.id)}>
                  {columns.map(([field, spec]) => (
                    <td key={field} className={spec.type === 'money' ? 'num' : undefined}>
                      {spec.type === 'ref'
                        ? (names.get(String(record[field])) ?? formatValue(spec, record[field], record))
                        : formatValue(spec, record[field], record)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
