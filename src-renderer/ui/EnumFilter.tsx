import type { EntityDef } from '../../src-shared/schema/define-entity';
import { formatValue } from './format';

/** One enum field of a list's entity as a filter select; '' means any value. */
export function EnumFilter({
  entity,
  field,
  anyLabel,
  ariaLabel,
  value,
  onChange,
}: {
  entity: EntityDef;
  field: string;
  /** The first option, e.g. "All statuses". */
  anyLabel: string;
  /**
   * The select's accessible name, "Filter by <label in lower case>" by default. E2e tests and
   * benchmarks find filters by it, so a list keeps the name it has.
   */
  ariaLabel?: string;
  value: string;
  onChange: (value: string) => void;
}) {
  const spec = entity.allFields[field];
  if (!spec?.values) throw new Error(`${entity.name}.${field} is not an enum field`);
  const label = spec.label ?? field;
  return (
    <label className="filter">
      <span className="sr-only">{label}</span>
      <select
        aria-label={ariaLabel ?? `Filter by ${label.toLowerCase()}`}
        value={value}
        onChange={(e) => onChange(e.target.value)}
      >
        <option value="">{anyLabel}</option>
        {spec.values.map((v) => (
          <option key={v} value={v}>
            {formatValue(spec, v, {})}
          </option>
        ))}
      </select>
    </label>
  );
}
