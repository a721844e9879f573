import type { ImportTable } from '../../../../src-shared/import/import-plan';
import type { EntityDef } from '../../../../src-shared/schema/define-entity';

interface Props {
  readonly entity: EntityDef;
  readonly table: ImportTable;
  readonly mapping: readonly (string | undefined)[];
  readonly onChange: (column: number, field: string | undefined) => void;
}

/** Fields a file can fill: declared ones, minus those the system or other imports keep. */
const SKIPPED = new Set([
  'scoreFactors',
  'convertedContactId',
  'convertedCompanyId',
  'convertedDealId',
  'convertedFromLeadId',
  'leadId',
]);

export function importableFields(entity: EntityDef) {
  const declared = Object.entries(entity.fields)
    .filter(
      ([name, spec]) => !SKIPPED.has(name) && spec.type !== 'json' && (spec.type !== 'ref' || spec.ref === 'company'),
    )
    .map(([name, spec]) => ({
      name,
      label: spec.label ?? name,
      required: spec.required === true && spec.default === undefined,
    }));
  // The owner is the one base field a file may give (a user's email or full name); default: the importer.
  return [...declared, { name: 'ownerId', label: 'Owner (email or name)', required: false }];
}

/** Column → field, auto-matched and editable; the first data row shows what the column holds. */
export function MappingTable({ entity, table, mapping, onChange }: Props) {
  const fields = importableFields(entity);
  const missing = fields.filter((f) => f.required && !mapping.includes(f.name));
  return (
    <section className="section import-mapping" aria-labelledby="import-mapping-title">
      <h3 id="import-mapping-title">Columns</h3>
      {missing.length > 0 && (
        <p className="import-warning" role="status">
          No column gives {missing.map((f) => f.label).join(', ')}, which every {entity.label.toLowerCase()} needs.
        </p>
      )}
      <table className="import-table">
        <thead>
          <tr>
            <th scope="col">Column in the file</th>
            <th scope="col">Example</th>
            <th scope="col">Imported as</th>
          </tr>
        </thead>
        <tbody>
          {table.headers.map((header, column) => (
            <tr key={`${header}-${String(column)}`}>
              <th scope="row">{header || <span className="muted">(no header)</span>}</th>
              <td className="muted import-example">
                {table.rows.find((r) => (r[column] ?? '').trim())?.[column] ?? ''}
              </td>
              <td>
                <select
                  aria-label={`Field for column ${header}`}
                  value={mapping[column] ?? ''}
                  onChange={(e) => onChange(column, e.target.value || undefined)}
                >
                  <option value="">Don’t import</option>
                  {fields.map((f) => (
                    <option key={f.name} value={f.name}>
                      {f.label}
                      {f.required ? ' *' : ''}
                    </option>
                  ))}
                </select>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
