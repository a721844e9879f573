import { getEntity, isEntityName } from '../../../src-shared/entities/registry';
import type { FieldSpec } from '../../../src-shared/schema/field';
import { formatValue } from '../../ui/format';

/** The registry's spec of a record's field, if the kind and field are known. */
export function fieldSpec(kind: string, field: string): FieldSpec | undefined {
  if (!isEntityName(kind)) return undefined;
  return (getEntity(kind).fields as Record<string, FieldSpec | undefined>)[field];
}

export function fieldLabel(kind: string, field: string): string {
  return fieldSpec(kind, field)?.label ?? field;
}

/** A review value as the lists show it; "(empty)" for a cleared field. */
export function showValue(kind: string, field: string, value: unknown, record: Record<string, unknown> = {}): string {
  if (value === null || value === undefined || value === '') return '(empty)';
  const spec = fieldSpec(kind, field);
  if (spec) return formatValue(spec, value, record);
  return typeof value === 'string' ? value : JSON.stringify(value);
}
