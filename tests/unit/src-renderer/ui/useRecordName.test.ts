import { describe, expect, it } from 'vitest';
import { missingRecordName } from '../../../../src-renderer/ui/useRecordName';

const demoUser = { id: 'local-user', name: 'Demo user' };

describe('missingRecordName', () => {
  it("names the current user, who has no user record in the demo, instead of showing 'local-user'", () => {
    // A contact created in the demo showed Owner "local-user".
    expect(missingRecordName('user', 'local-user', demoUser)).toBe('Demo user');
  });

  it('shows the id of any other record that is not on this device', () => {
    expect(missingRecordName('user', 'u-elsewhere', demoUser)).toBe('u-elsewhere');
    // Only a user reference is the current user, whatever another record's id.
    expect(missingRecordName('contact', 'local-user', demoUser)).toBe('local-user');
  });
});
