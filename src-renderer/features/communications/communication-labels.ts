import { communicationEntity } from '../../../src-shared/entities/content.entity';
import type { FieldSpec } from '../../../src-shared/schema/field';
import { formatValue } from '../../ui/format';

const fields = communicationEntity.fields;

export const TYPE_ICON: Record<string, string> = {
  call: '☏',
  meeting: '◷',
  email: '✉',
  sms: '✆',
  chat: '☰',
  letter: '✎',
  other: '•',
};

/** An enum value as a person reads it ('SMS', not 'Sms'). */
export const words = (field: FieldSpec, value: string | undefined) =>
  value === 'sms' ? 'SMS' : value ? formatValue(field, value, {}) : '';

export const typeField = fields.type as FieldSpec;
export const directionField = fields.direction as FieldSpec;
export const statusField = fields.status as FieldSpec;
export const subjectTypeField = fields.subjectType as FieldSpec;

/** The status a new communication of this type and direction most likely has. */
export function defaultStatus(type: string, direction: string): string {
  if (type === 'email' || type === 'letter' || type === 'sms' || type === 'chat') {
    return direction === 'inbound' ? 'received' : 'sent';
  }
  return 'completed';
}

/** The screen a subject record lives on. */
export const SCREEN_OF = { contact: 'contacts', company: 'companies', lead: 'leads', deal: 'deals' } as const;

export function minutes(value: number | undefined): string {
  if (value === undefined) return '';
  if (value < 60) return `${value} min`;
  const h = Math.floor(value / 60);
  const m = value % 60;
  return m === 0 ? `${h} h` : `${h} h ${m} min`;
}
