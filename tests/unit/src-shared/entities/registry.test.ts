import { describe, expect, it } from 'vitest';
import { COLLECTION_ENTITIES, ENTITIES, getEntity } from '../../../../src-shared/entities/registry';
import { COLLECTIONS, type EntityDef } from '../../../../src-shared/schema/define-entity';
import { validateRecord } from '../../../../src-shared/schema/validate';
import { sampleInput, wrongValue } from '../../../support/sample-record';

/** The entities of the spec (mission/000_...txt), by the names it gives them. */
const SPEC_ENTITIES: Record<string, string> = {
  User: 'user',
  UserRole: 'userRole',
  UserGroup: 'userGroup',
  UserGroupMember: 'userGroupMember',
  Contact: 'contact',
  Company: 'company',
  CompanyResearch: 'companyResearch',
  SocialProfile: 'socialProfile',
  Lead: 'lead',
  LeadList: 'leadList',
  LeadActivity: 'leadActivity',
  LeadListMember: 'leadListMember',
  Deal: 'deal',
  DealProduct: 'dealProduct',
  DealStageHistory: 'dealStageHistory',
  Content: 'content',
  ContentInteraction: 'contentInteraction',
  Communication: 'communication',
  CommunicationAttachment: 'communicationAttachment',
  Workflow: 'workflow',
  Task: 'task',
  Note: 'note',
  CustomField: 'customField',
  CustomFieldValue: 'customFieldValue',
  AuditLog: 'auditLog',
  ExternalIntegration: 'externalIntegration',
};
/** What the spec implies: deal line items need a product catalogue; multi-currency needs rates. */
// Issue 7: consents and retention policies.
const SUPPORTING = ['product', 'currency', 'exchangeRate', 'consent', 'retentionPolicy'];

function complete(entity: EntityDef, fields: Record<string, unknown>): Record<string, unknown> {
  const at = '2026-03-01T10:00:00.000Z';
  return {
    id: 'rec-1',
    kind: entity.name,
    ownerId: 'u-1',
    createdAt: at,
    updatedAt: at,
    createdBy: 'u-1',
    updatedBy: 'u-1',
    isDeleted: false,
    newest: 1,
    ...Object.fromEntries(
      Object.entries(entity.fields).flatMap(([k, f]) => (f.default === undefined ? [] : [[k, f.default]])),
    ),
    ...fields,
  };
}

describe('entity registry', () => {
  it('declares every entity of the spec and the ones it implies, each once', () => {
    const names = ENTITIES.map((e) => e.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names.sort()).toEqual([...Object.values(SPEC_ENTITIES), ...SUPPORTING].sort());
    const tables = ENTITIES.map((e) => e.table);
    expect(new Set(tables).size).toBe(tables.length);
  });

  it('puts every document entity in one of at most 12 collections', () => {
    expect(COLLECTIONS.length).toBeLessThanOrEqual(12);
    const grouped = Object.values(COLLECTION_ENTITIES)
      .flat()
      .map((e) => e.name);
    const documents = ENTITIES.filter((e) => e.storage === 'document').map((e) => e.name);
    expect(grouped.sort()).toEqual(documents.sort());
  });

  it('lists entities after the entities they reference', () => {
    const seen = new Set<string>();
    const late: string[] = [];
    for (const entity of ENTITIES) {
      seen.add(entity.name);
      for (const [name, field] of Object.entries(entity.fields)) {
        if (field.type === 'ref' && field.ref !== '*' && field.ref !== 'user' && !seen.has(field.ref ?? '')) {
          late.push(`${entity.name}.${name} → ${field.ref}`);
        }
      }
    }
    // Two-way links (a lead's converted contact/deal) are set after both exist.
    expect(late.sort()).toEqual(['contact.convertedFromLeadId → lead', 'lead.convertedDealId → deal']);
  });

  it('names a display field, label and owner rule for every entity', () => {
    for (const entity of ENTITIES) {
      for (const field of entity.display) expect(entity.allFields, `${entity.name}.${field}`).toHaveProperty(field);
      expect(entity.label.length).toBeGreaterThan(0);
      if (entity.owner === 'parent') expect(entity.fields, entity.name).toHaveProperty(entity.parentField ?? '?');
    }
  });

  it('flags personal data on the people entities', () => {
    for (const name of ['contact', 'lead', 'user']) {
      const pii = Object.entries(getEntity(name).fields)
        .filter(([, f]) => f.pii)
        .map(([k]) => k);
      expect(pii, name).toEqual(expect.arrayContaining(['email']));
    }
  });
});

describe.each(ENTITIES.map((e) => [e.name, e] as const))('%s validation', (_name, entity) => {
  const valid = complete(entity, sampleInput(entity));

  it('accepts a record with its required fields', () => {
    expect(validateRecord(entity, valid)).toEqual([]);
  });

  it('names each missing required field', () => {
    for (const [field, spec] of Object.entries(entity.fields)) {
      if (!spec.required) continue;
      const { [field]: _removed, ...rest } = valid;
      expect(validateRecord(entity, rest), field).toContainEqual({ field, problem: 'is required' });
    }
  });

  it('names each field given a value of the wrong type', () => {
    for (const [field, spec] of Object.entries(entity.fields)) {
      const bad = wrongValue(spec);
      if (bad === undefined) continue;
      const problems = validateRecord(entity, { ...valid, [field]: bad });
      expect(
        problems.map((p) => p.field),
        field,
      ).toContain(field);
      expect(problems.find((p) => p.field === field)?.problem, field).toMatch(/^must /);
    }
  });

  it('rejects a field it does not declare', () => {
    expect(validateRecord(entity, { ...valid, favouriteColour: 'teal' })).toEqual([
      { field: 'favouriteColour', problem: `is not a field of ${entity.label}` },
    ]);
  });
});

describe('date-time spelling', () => {
  const task = getEntity('task');
  const valid = complete(task, { title: 'Call', status: 'open', priority: 'normal', type: 'call' });
  it.each([
    ['2026-01-31T09:30:00.000Z', true],
    ['2026-01-31T09:30:00Z', false],
    ['2026-01-31T09:30:00.000123Z', false],
    ['2026-01-31T10:30:00.000+01:00', false],
    ['2026-02-30T09:30:00.000Z', false],
  ])('%s valid: %s', (dueAt, ok) => {
    const problems = validateRecord(task, { ...valid, dueAt });
    expect(problems.length === 0, JSON.stringify(problems)).toBe(ok);
  });
});

describe('cross-field rules', () => {
  // Shown under the field in a form: the other field by its words, not its key ("estimatedValue").
  it.each<[string, string, Record<string, unknown>, string]>([
    ['lead', 'currency', { estimatedValue: 1250 }, 'Currency is required with an estimated value'],
    ['company', 'revenueCurrency', { annualRevenue: 1250 }, 'Revenue currency is required with an annual revenue'],
    [
      'exchangeRate',
      'quoteCurrency',
      { baseCurrency: 'EUR', quoteCurrency: 'EUR' },
      'Quote must differ from the base currency',
    ],
    [
      'dealStageHistory',
      'toStage',
      { fromStage: 'proposal', toStage: 'proposal' },
      'To stage must differ from the from stage',
    ],
  ])('%s: a rule names the other field in words', (name, currency, patch, message) => {
    const entity = getEntity(name);
    const whole: Record<string, unknown> = { ...complete(entity, sampleInput(entity)), ...patch };
    // A money field's currency is left out; a rule between two values keeps both.
    const { [currency]: _left, ...withoutIt } = whole;
    const record = currency in patch ? whole : withoutIt;
    const problem = validateRecord(entity, record).find((p) => p.field === currency);
    expect(`${entity.allFields[currency]?.label} ${problem?.problem}`).toBe(message);
  });
});

describe('every problem at once', () => {
  // A form shows all of them on the first save, not a rule's only after the types are fixed.
  it('names a rule’s problem and a custom field’s alongside a wrong type', () => {
    const deal = getEntity('deal');
    const record = {
      ...complete(deal, sampleInput(deal)),
      name: 42,
      stage: 'closedWon',
      probability: 50,
      closedAt: '2026-01-31T09:30:00.000Z',
      customFields: { region: 'north' },
    };
    const problems = validateRecord(deal, record, { customFields: [] });
    expect(problems.map((p) => p.field).sort()).toEqual(['customFields.region', 'name', 'probability']);
  });

  it('does not add a rule’s problem on a field already wrong, nor fail on a record that is not an object', () => {
    const deal = getEntity('deal');
    const record = {
      ...complete(deal, sampleInput(deal)),
      stage: 'closedWon',
      probability: 'fifty',
      closedAt: '2026-01-31T09:30:00.000Z',
    };
    expect(validateRecord(deal, record).map((p) => p.field)).toEqual(['probability']);
    // A rule reading a wrong field would misjudge: 'won' is no stage, so not an open deal either.
    const noStage = { ...complete(deal, sampleInput(deal)), stage: 'won', closedAt: '2026-01-31T09:30:00.000Z' };
    expect(validateRecord(deal, noStage).map((p) => p.field)).toEqual(['stage']);
    expect(validateRecord(deal, null).length).toBeGreaterThan(0);
    expect(validateRecord(deal, 'a deal').length).toBeGreaterThan(0);
  });
});
