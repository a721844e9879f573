import type { EntityDef } from '../../../src-shared/schema/define-entity';
import type { FieldSpec } from '../../../src-shared/schema/field';
import type { CustomFieldDef } from '../../../src-shared/schema/validate';
import { formatFullDateTime, formatListDateTime, formatValue } from '../../ui/format';
import { customFieldSpec } from '../../ui/RecordForm';
import { RecordName } from '../../ui/useRecordName';
import type { Column } from '../../ui/VirtualTable';

type Row = Record<string, unknown> & { id: string };

const HIDDEN_TYPES = new Set<FieldSpec['type']>(['text', 'json']);

/** A list's default columns: the display fields, the next few short ones, the owner. */
export function defaultColumnFields(entity: EntityDef, max = 7): string[] {
  const fields = Object.entries(entity.fields).filter(([, f]) => !HIDDEN_TYPES.has(f.type) && f.ref !== '*');
  const display = fields.filter(([name]) => entity.display.includes(name)).map(([n]) => n);
  const rest = fields.filter(([name]) => !entity.display.includes(name)).map(([n]) => n);
  return [...display, ...rest.slice(0, Math.max(0, max - display.length)), 'ownerId'];
}

/** The cell of one stored field: references by name, money in its currency, enums in words. */
export function FieldCell({ field, value, record }: { field: FieldSpec; value: unknown; record: Row }) {
  if (field.type === 'ref' && typeof value === 'string') {
    const target = field.ref === '*' ? (record.subjectType as string | undefined) : field.ref;
    return <RecordName entity={target} id={value} />;
  }
  if (field.type === 'enum' && typeof value === 'string') {
    return <span className={`badge badge-${value}`}>{formatValue(field, value, record)}</span>;
  }
  return <>{formatValue(field, value, record)}</>;
}

/** A date-time in a list: short enough for its column, the full date and time on hover. */
export function ListDateTimeCell({ value }: { value: unknown }) {
  if (typeof value !== 'string' || value === '') return null;
  return <span title={formatFullDateTime(value)}>{formatListDateTime(value)}</span>;
}

export function columnsFor(
  entity: EntityDef,
  fieldNames: readonly string[],
  customDefs: readonly CustomFieldDef[] = [],
): Column<Row>[] {
  const declared = fieldNames.map((name): Column<Row> => {
    const field = entity.allFields[name] as FieldSpec;
    const numeric = ['money', 'integer', 'number', 'percent'].includes(field.type);
    return {
      key: name,
      header: name === 'ownerId' ? 'Owner' : (field.label ?? name),
      numeric,
      // Money needs room for its symbol, digits and cents: at 0.8fr an amount beside an open record
      // was cut to "¥115,178,…", a thousandth of the deal; a column that does not fit is left out.
      width: entity.display.includes(name) ? '1.6fr' : field.type === 'money' ? '1.25fr' : numeric ? '0.8fr' : '1fr',
      render: (row) =>
        field.type === 'datetime' ? (
          <ListDateTimeCell value={row[name]} />
        ) : (
          <FieldCell field={field} value={row[name]} record={row} />
        ),
    };
  });
  const custom = customDefs.map(
    (def): Column<Row> => ({
      key: `customFields.${def.key}`,
      header: def.label,
      render: (row) => {
        const values = (row.customFields ?? {}) as Record<string, unknown>;
        return formatValue(customFieldSpec(def), values[def.key], row);
      },
    }),
  );
  return [...declared, ...custom];
}
