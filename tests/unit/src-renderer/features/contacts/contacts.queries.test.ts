import { describe, expect, it } from 'vitest';
import { chooseIndex } from '../../../../../src-renderer/db/index-hint';
import { CONTACT_STATUSES, contactListWheres } from '../../../../../src-renderer/features/contacts/contacts.queries';
import { getEntity } from '../../../../../src-shared/entities/registry';

describe('contactListWheres', () => {
  it('asks an owner alone once per status, so each read is on the owner-and-status index', () => {
    const wheres = contactListWheres({ ownerId: 'u1' });
    expect(wheres).toEqual(CONTACT_STATUSES.map((status) => ({ ownerId: 'u1', status })));
  });

  it('asks status, owner and status, or nothing as one read', () => {
    expect(contactListWheres({})).toEqual([{}]);
    expect(contactListWheres({ status: 'active' })).toEqual([{ status: 'active' }]);
    expect(contactListWheres({ status: 'active', ownerId: 'u1' })).toEqual([{ ownerId: 'u1', status: 'active' }]);
  });

  it('every filter it produces is answered by a declared contact index that covers all its fields', () => {
    const contact = getEntity('contact');
    for (const filters of [{}, { status: 'bounced' }, { ownerId: 'u1' }, { ownerId: 'u1', status: 'active' }]) {
      for (const where of contactListWheres(filters)) {
        const fields = new Set([...Object.keys(where), 'isDeleted']);
        const index = chooseIndex(contact, fields);
        expect(new Set(index.filter((f) => f !== 'newest'))).toEqual(fields);
      }
    }
  });
});
