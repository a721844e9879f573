import { SUBJECT_TYPES } from '../../../src-shared/entities/enums';
import type { ScreenId } from '../../app/navigation';

export type Subject = (typeof SUBJECT_TYPES)[number];
export { SUBJECT_TYPES };

/** The screen that shows each kind of record a task or note can be about. */
export const SUBJECT_SCREEN: Record<Subject, ScreenId> = {
  contact: 'contacts',
  company: 'companies',
  lead: 'leads',
  deal: 'deals',
};

export const SUBJECT_LABEL: Record<Subject, string> = {
  contact: 'Contact',
  company: 'Company',
  lead: 'Lead',
  deal: 'Deal',
};

export function isSubject(value: unknown): value is Subject {
  return (SUBJECT_TYPES as readonly unknown[]).includes(value);
}
