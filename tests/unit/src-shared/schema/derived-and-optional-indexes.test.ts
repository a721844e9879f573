import { describe, expect, it } from 'vitest';
import { COLLECTION_VERSIONS } from '../../../../src-shared/entities/collections';
import { leadEntity } from '../../../../src-shared/entities/lead.entity';
import { getEntity } from '../../../../src-shared/entities/registry';
import { defineEntity, SCORE_MAX, withDerived } from '../../../../src-shared/schema/define-entity';
import { f } from '../../../../src-shared/schema/field';
import { checkIndexFields, toRxSchema } from '../../../../src-shared/schema/to-rx-schema';
import { validateRecord } from '../../../../src-shared/schema/validate';

const AT = '2026-03-01T10:00:00.000Z';
const lead = {
  id: 'ld_1',
  kind: 'lead',
  ownerId: 'u_1',
  createdAt: AT,
  updatedAt: AT,
  createdBy: 'u_1',
  updatedBy: 'u_1',
  isDeleted: false,
  newest: 1,
  lastName: 'Hopper',
  source: 'other',
  status: 'new',
  score: 64,
};

const probe = (fields: Parameters<typeof defineEntity>[0]['fields'], indexes: string[][]) =>
  defineEntity({
    name: 'probe',
    label: 'Probe',
    plural: 'Probes',
    description: '',
    table: 'probes',
    collection: 'contacts',
    version: 0,
    owner: 'creator',
    display: ['name'],
    fields,
    indexes,
  });

describe('indexes on optional fields', () => {
  it('are declared on the lookups the screens need, and every index field is required in the RxDB schema (DXE1)', () => {
    const expected: [string, string[]][] = [
      ['contact', ['companyId', 'isDeleted', 'newest']],
      ['contact', ['lifecycleStage', 'isDeleted', 'newest']],
      ['deal', ['companyId', 'isDeleted', 'newest']],
      ['deal', ['contactId', 'isDeleted', 'newest']],
      ['company', ['parentCompanyId', 'isDeleted', 'newest']],
      ['company', ['type', 'isDeleted', 'newest']],
      ['task', ['subjectId', 'isDeleted', 'newest']],
      ['task', ['subjectId', 'status', 'isDeleted', 'newest']],
      ['lead', ['status', 'isDeleted', 'scoreRank', 'newest']],
      ['lead', ['isDeleted', 'scoreRank', 'newest']],
    ];
    for (const [name, index] of expected) {
      const entity = getEntity(name);
      expect(entity.indexes, name).toContainEqual(index);
      const schema = toRxSchema(entity.collection as never);
      const stored = schema.indexes?.map((i) => (Array.isArray(i) ? i : [i]).filter((x) => x !== 'kind').join('+'));
      expect(stored, name).toContain(index.join('+'));
      for (const field of index) expect(schema.required, `${name}.${field}`).toContain(field);
    }
    expect(toRxSchema('leads').properties.scoreRank).toEqual({
      type: 'integer',
      minimum: 0,
      maximum: SCORE_MAX,
      multipleOf: 1,
    });
  });

  it('accepts an optional text field as an equality field, refuses an optional sort field or boolean', () => {
    expect(() =>
      checkIndexFields(probe({ name: f.string(), ref: f.ref('company') }, [['ref', 'isDeleted', 'newest']])),
    ).not.toThrow();
    expect(() =>
      checkIndexFields(probe({ name: f.string(), flag: f.boolean() }, [['flag', 'isDeleted', 'newest']])),
    ).toThrow(/cannot be a boolean/);
    expect(() =>
      checkIndexFields(probe({ name: f.string(), scoreRank: f.integer() }, [['isDeleted', 'scoreRank', 'newest']])),
    ).toThrow(/sorts lists, so it must be required/);
    expect(() => checkIndexFields(probe({ name: f.string() }, [['nope', 'newest']]))).toThrow(/not declared/);
  });
});

describe('derived fields', () => {
  it('scoreRank is SCORE_MAX − score, recomputed whatever the record carried', () => {
    expect(withDerived(leadEntity, lead)).toMatchObject({ score: 64, scoreRank: 36 });
    expect(withDerived(leadEntity, { ...lead, score: 100, scoreRank: 99 })).toMatchObject({ scoreRank: 0 });
    expect(withDerived(leadEntity, { ...lead, score: 0 })).toMatchObject({ scoreRank: 100 });
    expect(withDerived(getEntity('contact'), { a: 1 })).toEqual({ a: 1 });
    expect(Object.keys(leadEntity.fields)).not.toContain('scoreRank');
    expect(leadEntity.allFields.scoreRank).toMatchObject({ type: 'integer', required: true });
  });

  it('validation: a record without it is whole, one with a wrong value is refused naming the field', () => {
    expect(validateRecord(leadEntity, lead)).toEqual([]);
    expect(validateRecord(leadEntity, withDerived(leadEntity, lead))).toEqual([]);
    expect(validateRecord(leadEntity, { ...lead, scoreRank: 1 })).toEqual([
      { field: 'scoreRank', problem: "must be 36, derived from the record's other fields" },
    ]);
    expect(validateRecord(leadEntity, { ...lead, scoreRank: 'high' })[0]?.field).toBe('scoreRank');
  });

  it('cannot collide with a declared field and must be required', () => {
    const base = {
      name: 'x',
      label: 'X',
      plural: 'Xs',
      description: '',
      table: 'xs',
      collection: 'contacts',
      version: 0,
      owner: 'creator',
      display: ['a'],
    } as const;
    expect(() =>
      defineEntity({
        ...base,
        fields: { a: f.integer() },
        derived: { a: { field: f.integer({ required: true }), from: () => 1 } },
      }),
    ).toThrow(/both as a field and as derived/);
    expect(() => defineEntity({ ...base, fields: {}, derived: { b: { field: f.integer(), from: () => 1 } } })).toThrow(
      /required/,
    );
  });

  it('the leads migration to v1 stamps scoreRank on leads and leaves list members alone', () => {
    const migrate = COLLECTION_VERSIONS.leads.migrations[1];
    if (!migrate) throw new Error('no leads migration to v1');
    expect(migrate({ ...lead, score: 12 })).toMatchObject({ scoreRank: 88 });
    const member = { id: 'm', kind: 'leadListMember', leadId: 'ld_1' };
    expect(migrate(member)).toEqual(member);
  });
});
