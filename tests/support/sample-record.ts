import type { EntityDef } from '../../src-shared/schema/define-entity';
import type { FieldSpec } from '../../src-shared/schema/field';

/** A valid value of a field, for tests that need "some" record of every entity. */
export function sampleValue(field: FieldSpec): unknown {
  switch (field.type) {
    case 'email':
      return 'someone@example.com';
    case 'url':
      return 'https://example.com/x';
    case 'phone':
      return '+1 555 0100';
    case 'enum':
      return field.values?.[0];
    case 'integer':
    case 'money':
      return Math.max(field.min ?? 0, Math.min(field.max ?? 100, 100));
    case 'number':
      return Math.max(field.min ?? 0, Math.min(field.max ?? 1, 1));
    case 'percent':
      return 50;
    case 'boolean':
      return true;
    case 'date':
      return '2026-03-01';
    case 'datetime':
      return '2026-03-01T10:00:00.000Z';
    case 'currency':
      return 'USD';
    case 'tags':
      return ['alpha'];
    case 'json':
      return { any: ['json', 1] };
    case 'ref':
      return 'ref-0001';
    default:
      return 'sample';
  }
}

/** Values the cross-field rules need beyond each field's first valid value. */
const OVERRIDES: Record<string, Record<string, unknown>> = {
  exchangeRate: { quoteCurrency: 'EUR' },
  externalIntegration: { provider: 'slack' },
  dealProduct: { quantity: 2, unitPrice: 100, total: 200 },
  // A definition the server accepts (sync-server/src/automation/workflow-validation.ts).
  workflow: { actions: [{ type: 'createTask', title: 'Sample task' }] },
  // A grant on the basis of consent carries its proof (privacy.entity.ts).
  consent: { proofText: 'Ticked the newsletter box on the pricing page' },
};

/** Create input with every required field of the entity filled in. */
export function sampleInput(entity: EntityDef): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(entity.fields)) {
    if (field.required && field.default === undefined) input[name] = sampleValue(field);
  }
  return { ...input, ...OVERRIDES[entity.name] };
}

/**
 * Edits the cross-field rules would refuse as "some optional string field set to 'changed'": a
 * retention policy's status must be one of its target's statuses (the sample's target is a lead).
 */
const EDITS: Record<string, readonly [string, unknown]> = {
  retentionPolicy: ['status', 'lost'],
};

/** A valid update of the sample record: its first optional string field changed; undefined when it has none. */
export function sampleEdit(entity: EntityDef): readonly [string, unknown] | undefined {
  const edit = EDITS[entity.name];
  if (edit) return edit;
  const field = Object.entries(entity.fields).find(([, f]) => f.type === 'string' && !f.required)?.[0];
  return field === undefined ? undefined : [field, 'changed'];
}

/** A value of the wrong type for the field. */
export function wrongValue(field: FieldSpec): unknown {
  switch (field.type) {
    case 'integer':
    case 'money':
    case 'number':
    case 'percent':
      return 'twelve';
    case 'boolean':
      return 'yes';
    case 'tags':
      return 'not-a-list';
    case 'json':
      return undefined;
    default:
      return 12345;
  }
}
