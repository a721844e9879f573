import type { EntityDef } from '../schema/define-entity';
import type { CustomFieldDef } from '../schema/validate';
import { CUSTOM_FIELD_PREFIX, ownerHeaders } from './custom-columns';
import { VENDOR_SYNONYMS } from './vendor-presets';

/**
 * Which field of an entity a file's column holds, matched by the field's name, its label or a
 * common synonym, ignoring case, spaces and punctuation ("Lead Source", "lead_source" and
 * "LeadSource" all mean `source`). Used by import and by model evaluation on a user's file.
 */

const SYNONYMS: Readonly<Record<string, readonly string[]>> = {
  source: ['leadsource', 'origin', 'channel'],
  companyName: ['company', 'account', 'accountname', 'organisation', 'organization'],
  companyDomain: ['domain', 'website'],
  employeeCount: [
    'employees',
    'companysize',
    'numberofemployees',
    'noofemployees',
    'numemployees',
    'headcount',
    'size',
  ],
  jobTitle: ['title', 'position', 'role'],
  email: ['emailaddress', 'mail'],
  phone: ['phonenumber', 'telephone', 'mobile'],
  firstName: ['givenname', 'forename', 'first'],
  lastName: ['surname', 'familyname', 'last'],
  country: ['countryname', 'nation'],
  industry: ['sector', 'vertical'],
  companyId: ['company', 'companyname', 'account', 'accountname', 'organisation', 'organization'],
  tags: ['labels', 'tag'],
  stage: ['dealstage', 'pipelinestage'],
  amount: ['value', 'dealvalue', 'dealamount', 'closevalue'],
  expectedCloseDate: ['closedate', 'expectedclose', 'closingdate'],
  foundedYear: ['yearestablished', 'yearfounded', 'established'],
  annualRevenue: ['revenue', 'annualrevenue'],
};

/** Synonyms that mean a different field on one entity (a company's "Company" column is its name). */
const ENTITY_SYNONYMS: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = {
  company: {
    name: ['company', 'companyname', 'account', 'accountname', 'organisation', 'organization'],
    domain: ['domainname', 'companydomain'],
    parentCompanyId: ['parent', 'parentcompany', 'subsidiaryof', 'parentaccount'],
  },
  deal: { name: ['dealname', 'opportunity', 'opportunityname', 'title'] },
};

export const normaliseHeader = (header: string): string => header.toLowerCase().replace(/[^a-z0-9]/g, '');

export interface ColumnMatch {
  readonly header: string;
  /** The entity field, or undefined when no field matches. */
  readonly field?: string;
}

/**
 * Custom field columns are matched by the field's label or key (→ `customFields.<key>`), after the
 * declared fields; an owner column ("Owner", "Contact owner", "Deal Owner") → `ownerId`.
 */
export function matchColumns(
  headers: readonly string[],
  entity: EntityDef,
  customFields: readonly CustomFieldDef[] = [],
): ColumnMatch[] {
  const byKey = new Map<string, string>();
  for (const [name, spec] of Object.entries(entity.fields)) {
    byKey.set(normaliseHeader(name), name);
    if (spec.label) byKey.set(normaliseHeader(spec.label), name);
  }
  for (const header of ownerHeaders(entity)) if (!byKey.has(header)) byKey.set(header, 'ownerId');
  for (const def of customFields) {
    if (!def.active) continue;
    for (const key of [normaliseHeader(def.label), normaliseHeader(def.key)]) {
      if (!byKey.has(key)) byKey.set(key, `${CUSTOM_FIELD_PREFIX}${def.key}`);
    }
  }
  for (const [name, synonyms] of [
    ...Object.entries(ENTITY_SYNONYMS[entity.name] ?? {}),
    ...Object.entries(VENDOR_SYNONYMS[entity.name] ?? {}),
    ...Object.entries(SYNONYMS),
  ]) {
    if (!(name in entity.fields)) continue;
    for (const synonym of synonyms) if (!byKey.has(synonym)) byKey.set(synonym, name);
  }
  const taken = new Set<string>();
  return headers.map((header) => {
    const field = byKey.get(normaliseHeader(header));
    // The first column claiming a field gets it; a second one stays unmapped rather than overwrite.
    if (field === undefined || taken.has(field)) return { header };
    taken.add(field);
    return { header, field };
  });
}
