import type { EntityDef } from '../schema/define-entity';
import type { FieldSpec } from '../schema/field';
import type { CustomFieldDef } from '../schema/validate';

/** A column mapped to a custom field is named `customFields.<key>` in a mapping. */
export const CUSTOM_FIELD_PREFIX = 'customFields.';

export const customKeyOf = (field: string): string | undefined =>
  field.startsWith(CUSTOM_FIELD_PREFIX) ? field.slice(CUSTOM_FIELD_PREFIX.length) : undefined;

/**
 * Normalised headers that name a record's owner: ours ("Owner") and the CRMs' exports (Salesforce
 * "Account Owner", "Opportunity Owner", "Lead Owner"; HubSpot "Contact owner", "Deal owner",
 * "Company owner", "Record owner"), each holding a user's email or full name.
 */
const VENDOR_OWNERS = ['accountowner', 'opportunityowner', 'leadowner', 'contactowner', 'dealowner', 'companyowner'];

export function ownerHeaders(entity: EntityDef): string[] {
  const own = `${entity.label.toLowerCase().replace(/[^a-z0-9]/g, '')}owner`;
  return ['owner', 'ownerid', 'ownername', 'owneremail', 'recordowner', 'assignedto', own, ...VENDOR_OWNERS];
}

/** The registry field spec a custom field's values convert as (its label names problems). */
export function customFieldSpec(def: CustomFieldDef): FieldSpec {
  const known: readonly FieldSpec['type'][] = [
    'string',
    'text',
    'number',
    'integer',
    'boolean',
    'date',
    'enum',
    'url',
    'email',
  ];
  const type = (known as readonly string[]).includes(def.fieldType) ? (def.fieldType as FieldSpec['type']) : 'string';
  return { type, label: def.label, ...(def.options ? { values: def.options } : {}) };
}
