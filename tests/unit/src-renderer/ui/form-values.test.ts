import { describe, expect, it } from 'vitest';
import {
  fromInputText,
  mergeProblems,
  parseDecimal,
  problemText,
  registryProblems,
  toInputText,
  UNREADABLE_DATE,
} from '../../../../src-renderer/ui/form-values';
import { getEntity } from '../../../../src-shared/entities/registry';
import type { FieldSpec } from '../../../../src-shared/schema/field';

const amount = getEntity('deal').allFields.amount as FieldSpec;
const inUsd = (text: string) => fromInputText(amount, text, { currency: 'USD' }, '.');

describe('fromInputText: money', () => {
  it('reads amounts as people type them, with either decimal mark, into minor units', () => {
    expect(inUsd('1250.50')).toEqual({ value: 125_050 });
    expect(inUsd('1,250.50')).toEqual({ value: 125_050 });
    expect(inUsd('12,500')).toEqual({ value: 1_250_000 });
    // A European rep's €1.234,56 was stored as 1.23 and 12,50 as 1,250.
    expect(inUsd('1.234,56')).toEqual({ value: 123_456 });
    expect(inUsd('12,50')).toEqual({ value: 1_250 });
    expect(inUsd('$ 1,234,567.5')).toEqual({ value: 123_456_750 });
    expect(inUsd('1250.505')).toEqual({ value: 125_051 });
    // Where "." groups thousands (German), ¥1.500 is fifteen hundred.
    expect(fromInputText(amount, '1.500', { currency: 'JPY' }, ',')).toEqual({ value: 1_500 });
  });

  it('names what it cannot read instead of storing another amount', () => {
    for (const text of ['12,5k', 'twelve', '1.2.3,4,5', '12.345 USD', '1,234,56', '1,234.567,8'])
      expect(inUsd(text).problem, text).toBe('must be an amount, e.g. 1250.50');
  });
});

describe('fromInputText: numbers', () => {
  const probability = getEntity('deal').allFields.probability as FieldSpec;
  it('reads a decimal comma as a decimal and a thousands separator as one', () => {
    expect(fromInputText(probability, '12,5', {}, '.')).toEqual({ value: 12.5 });
    expect(fromInputText(probability, '.5', {}, '.')).toEqual({ value: 0.5 });
    expect(fromInputText(probability, '1,000', {}, '.')).toEqual({ value: 1_000 });
    expect(fromInputText(probability, '12 %', {}, '.')).toEqual({ problem: 'must be a number' });
  });
});

describe('one mark and three digits: the locale decides', () => {
  const rate = getEntity('exchangeRate').allFields.rate as FieldSpec;

  it('reads "1.085" as a decimal where "." is the decimal mark, and as grouping where it is not', () => {
    expect(parseDecimal('1.085', '.')).toBe(1.085);
    expect(parseDecimal('12,500', '.')).toBe(12_500);
    expect(parseDecimal('1,085', ',')).toBe(1.085);
    expect(parseDecimal('12.500', ',')).toBe(12_500);
    // Two groups, or both marks, say which is which whatever the locale.
    expect(parseDecimal('1.234.567', '.')).toBe(1_234_567);
    expect(parseDecimal('1,234.5', ',')).toBe(1_234.5);
  });

  it('reads back what the form shows, unchanged, in either locale (an exchange rate of 1.085 was saved as 1,085)', () => {
    for (const mark of ['.', ','])
      for (const value of [1.085, 2.125, 1_085, 12.5, 0.125, 1_000_000.25]) {
        const shown = toInputText(rate, value, {}, mark);
        expect(fromInputText(rate, shown, {}, mark), `${value} shown as ${shown}`).toEqual({ value });
      }
    const kwd = { currency: 'KWD' };
    for (const mark of ['.', ','])
      for (const minor of [1_085, 12_345_678, 500]) {
        const shown = toInputText(amount, minor, kwd, mark);
        expect(fromInputText(amount, shown, kwd, mark), `${minor} shown as ${shown}`).toEqual({ value: minor });
      }
  });
});

describe('one round of problems: registryProblems merged with what did not parse', () => {
  const deal = getEntity('deal');
  const contact = getEntity('contact');
  const tier = {
    key: 'tier',
    label: 'Tier',
    fieldType: 'enum',
    options: ['gold', 'silver'],
    required: true,
    active: true,
  };
  const seats = { key: 'seats', label: 'Seats', fieldType: 'integer', required: true, active: true };
  const dealFields = (field: string) =>
    ['name', 'amount', 'probability'].includes(field) || field.startsWith('customFields.');

  it('names the bad number, the missing required field and the out-of-range one together', () => {
    // A new deal: amount "12abc" (did not parse), no name, probability 150.
    const parsed = { amount: 'must be an amount, e.g. 1250.50' };
    const registry = registryProblems(deal, {}, { probability: 150 }, []);
    expect(mergeProblems(parsed, registry, dealFields)).toEqual({
      amount: 'must be an amount, e.g. 1250.50',
      name: 'is required',
      probability: 'must be at most 100',
    });
  });

  it('names a missing required custom field although a declared field is missing too', () => {
    // validateRecord checks custom fields only once the rest passed: the form would name Tier a round later.
    const registry = registryProblems(deal, {}, { amount: 100 }, [tier]);
    expect(mergeProblems({}, registry, dealFields)).toEqual({
      name: 'is required',
      'customFields.tier': '(Tier) is required',
    });
  });

  it('reports no registry problem for a field whose text did not parse: the parse problem is the one shown', () => {
    const parsed = { 'customFields.seats': 'must be a whole number', firstName: 'x' };
    const registry = registryProblems(contact, {}, { email: 'not-an-email' }, [seats]);
    expect(registry.map((p) => p.field)).toContain('customFields.seats');
    const shown = (field: string) => ['firstName', 'email'].includes(field) || field.startsWith('customFields.');
    expect(mergeProblems(parsed, registry, shown)).toEqual({
      'customFields.seats': 'must be a whole number',
      firstName: 'x',
      email: 'must be a valid email address',
    });
  });

  it('judges an edit as the stored record with the changes over it: a cleared required field, a too-long one', () => {
    const stored = { id: 'c1', kind: 'contact', firstName: 'Ada', status: 'active', ownerId: 'u1' };
    const registry = registryProblems(contact, stored, { firstName: null, jobTitle: 'x'.repeat(121) }, []);
    expect(mergeProblems({}, registry, () => true)).toEqual({
      firstName: 'is required',
      jobTitle: 'must be at most 120 characters',
    });
  });

  it("applies the entity's rules although a field fails the schema", () => {
    // A new custom field with a 300-character label and the key "Bad Key!": the key was named a round later.
    const registry = registryProblems(getEntity('customField'), {}, { label: 'L'.repeat(300), key: 'Bad Key!' }, []);
    const shown = (field: string) => ['label', 'key'].includes(field);
    expect(mergeProblems({}, registry, shown)).toEqual({
      label: 'must be at most 100 characters',
      key: 'must start with a lower-case letter and contain only letters, digits and _',
    });
  });

  it('leaves out problems with fields the form does not show, and finds none in a good record', () => {
    const registry = registryProblems(deal, {}, { probability: 150 }, []);
    expect(mergeProblems({}, registry, (field) => field === 'amount')).toEqual({});
    expect(registryProblems(deal, {}, { name: 'Renewal', amount: 100 }, [tier])).toEqual([
      { field: 'customFields.tier', problem: '(Tier) is required' },
    ]);
    expect(registryProblems(deal, {}, { name: 'Renewal', customFields: { tier: 'gold' } }, [tier])).toEqual([]);
  });
});

describe('fromInputText: a date the browser could not read', () => {
  const expected = getEntity('deal').allFields.expectedCloseDate as FieldSpec;
  const closedAt = getEntity('deal').allFields.closedAt as FieldSpec;
  const example = new Intl.DateTimeFormat().format(new Date(2026, 1, 28));

  it('is a problem with an example in the locale, not an emptied field', () => {
    // 31/02/2026 typed into a date input left its value "", and the form saved no date without a word.
    expect(fromInputText(expected, UNREADABLE_DATE, {})).toEqual({ problem: `must be a real date, e.g. ${example}` });
    expect(fromInputText(closedAt, UNREADABLE_DATE, {}).problem).toBe(
      `must be a real date and time, e.g. ${example} 09:30`,
    );
    expect(fromInputText(expected, '2026-02-28', {})).toEqual({ value: '2026-02-28' });
    expect(fromInputText(expected, '', {})).toEqual({});
  });
});

describe('problemText', () => {
  it("says a required custom field's problem after its label once", () => {
    // The contact form said "QA seats (QA seats) is required".
    expect(problemText('Seats', '(Seats) is required')).toBe('Seats is required');
    expect(problemText('Seats', 'must be a whole number')).toBe('Seats must be a whole number');
    expect(problemText('Tier', '(Seats) is required')).toBe('Tier (Seats) is required');
  });
});
