import type { ImportPlan, ImportTable, PlannedRow } from '../../../../src-shared/import/import-plan';
import type { EntityDef } from '../../../../src-shared/schema/define-entity';
import { formatValue } from '../../../ui/format';

interface Props {
  readonly entity: EntityDef;
  readonly table: ImportTable;
  readonly mapping: readonly (string | undefined)[];
  readonly plan: ImportPlan;
  readonly rows?: number;
}

const ACTION_TEXT: Record<PlannedRow['action'], string> = {
  create: 'New',
  update: 'Update',
  skip: 'Skip',
  error: 'Problem',
};
const ACTION_BADGE: Record<PlannedRow['action'], string> = {
  create: 'badge-new',
  update: 'badge-qualified',
  skip: 'badge-inactive',
  error: 'badge-lost',
};

/** The first rows as they will be stored: converted values, references by the text that found them. */
export function PreviewTable({ entity, table, mapping, plan, rows = 8 }: Props) {
  const fields = [...new Set(mapping.filter((f): f is string => !!f && f in entity.fields))];
  const shown = plan.rows.slice(0, rows);
  return (
    <section className="section import-preview" aria-labelledby="import-preview-title">
      <h3 id="import-preview-title">
        Preview{' '}
        <span className="muted">
          — the first {shown.length} of {plan.rows.length} rows as they will be stored
        </span>
      </h3>
      <div className="import-scroll">
        <table className="import-table" aria-label="Preview">
          <thead>
            <tr>
              <th scope="col">Row</th>
              <th scope="col">Action</th>
              {fields.map((f) => (
                <th key={f} scope="col">
                  {entity.fields[f]?.label ?? f}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {shown.map((row) => (
              <tr key={row.row} className={row.action === 'error' ? 'import-row-error' : undefined}>
                <td>{row.row}</td>
                <td>
                  <span className={`badge ${ACTION_BADGE[row.action]}`}>{ACTION_TEXT[row.action]}</span>
                  {row.reason && <div className="muted import-reason">{row.reason}</div>}
                  {row.problems.map((p) => (
                    <div key={`${p.column}-${p.problem}`} className="import-problem">
                      {p.column}: {p.problem}
                    </div>
                  ))}
                </td>
                {fields.map((f) => {
                  const spec = entity.fields[f];
                  const cell = table.rows[row.row - 2]?.[mapping.indexOf(f)] ?? '';
                  const text =
                    spec?.type === 'ref'
                      ? row.values[f]
                        ? cell
                        : ''
                      : spec
                        ? formatValue(spec, row.values[f], row.values)
                        : '';
                  return <td key={f}>{text}</td>;
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
