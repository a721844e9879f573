import { describe, expect, it } from 'vitest';
import { readEmailDraft } from '../../../../../src-renderer/features/communications/send-email';

describe('readEmailDraft (the Send email form)', () => {
  it('names every problem of an empty draft at once', () => {
    expect(readEmailDraft({ kind: 'lead', subjectId: '', to: ' ', subject: '  ' }).problems).toEqual([
      { field: 'subjectId', problem: 'is required: choose the lead this email is to' },
      { field: 'toAddresses', problem: 'need at least one email address' },
      { field: 'subject', problem: 'is required' },
    ]);
  });

  it('quotes each address that is not one', () => {
    const draft = { kind: 'contact' as const, subjectId: 'c_1', subject: 'Quote' };
    expect(readEmailDraft({ ...draft, to: 'ann@example.com, bob; carl@x' }).problems).toEqual([
      { field: 'toAddresses', problem: 'hold "bob", "carl@x", not email addresses' },
    ]);
    expect(readEmailDraft({ ...draft, to: 'ann@example.com bob' }).problems).toEqual([
      { field: 'toAddresses', problem: 'hold "bob", not an email address' },
    ]);
  });

  it('splits addresses on commas, semicolons and spaces', () => {
    expect(
      readEmailDraft({ kind: 'contact', subjectId: 'c_1', to: 'a@x.io;b@y.io,\n c@z.io ', subject: 'Hi' }),
    ).toEqual({ addresses: ['a@x.io', 'b@y.io', 'c@z.io'], problems: [] });
  });
});
