import { describe, expect, it } from 'vitest';
import { companyEntity } from '../../../../src-shared/entities/company.entity';
import { contactEntity } from '../../../../src-shared/entities/contact.entity';
import { dealEntity } from '../../../../src-shared/entities/deal.entity';
import { matchColumns } from '../../../../src-shared/import/column-mapping';
import { convertValue, parseDate, parseNumber } from '../../../../src-shared/import/convert-value';
import { dedupeKeys, normaliseDomain } from '../../../../src-shared/import/dedupe-keys';

const F = dealEntity.fields;

describe('convertValue', () => {
  it('reads dates in the common spellings and refuses impossible days', () => {
    expect(parseDate('2026-01-31')).toBe('2026-01-31');
    expect(parseDate('2026/1/5')).toBe('2026-01-05');
    expect(parseDate('31.01.2026')).toBe('2026-01-31');
    expect(parseDate('1/31/2026')).toBe('2026-01-31');
    expect(parseDate('03/04/2026')).toBe('2026-03-04');
    expect(parseDate('03/04/2026', 'dmy')).toBe('2026-04-03');
    expect(parseDate('31/01/2026')).toBe('2026-01-31');
    expect(parseDate('31 Jan 2026')).toBe('2026-01-31');
    expect(parseDate('January 31, 2026')).toBe('2026-01-31');
    expect(parseDate('2026-02-30')).toBeUndefined();
    expect(parseDate('soon')).toBeUndefined();
    expect(convertValue(F.closedAt, '2026-01-31 09:30')).toEqual({ ok: true, value: '2026-01-31T09:30:00.000Z' });
    expect(convertValue(F.closedAt, '2026-01-31')).toEqual({ ok: true, value: '2026-01-31T00:00:00.000Z' });
    expect(convertValue(F.expectedCloseDate, 'next week')).toMatchObject({
      ok: false,
      problem: expect.stringContaining('not a date'),
    });
  });

  it('turns money in major units into minor units of the currency', () => {
    expect(convertValue(F.amount, '1,234.56', { currency: 'USD' })).toEqual({ ok: true, value: 123_456 });
    expect(convertValue(F.amount, '$0.29', { currency: 'USD' })).toEqual({ ok: true, value: 29 });
    expect(convertValue(F.amount, '1.234,5', { currency: 'EUR' })).toEqual({ ok: true, value: 123_450 });
    expect(convertValue(F.amount, '1500', { currency: 'JPY' })).toEqual({ ok: true, value: 1500 });
    expect(convertValue(F.amount, '12.345', { currency: 'KWD' })).toEqual({ ok: true, value: 12_345 });
    expect(convertValue(F.amount, 'lots', { currency: 'USD' })).toEqual({
      ok: false,
      problem: '"lots" is not a number',
    });
    expect(parseNumber('(12)')).toBe(-12);
  });

  it('reads enums by value or words, booleans, tags, integers and currencies', () => {
    expect(convertValue(F.stage, 'Closed Won')).toEqual({ ok: true, value: 'closedWon' });
    expect(convertValue(F.stage, 'PROPOSAL')).toEqual({ ok: true, value: 'proposal' });
    expect(convertValue(F.stage, 'Won', { enumAliases: { won: 'closedWon' } })).toEqual({
      ok: true,
      value: 'closedWon',
    });
    expect(convertValue(F.stage, 'Maybe')).toMatchObject({
      ok: false,
      problem: expect.stringContaining('is not one of'),
    });
    expect(convertValue(contactEntity.fields.doNotContact, 'Yes')).toEqual({ ok: true, value: true });
    expect(convertValue(contactEntity.fields.doNotContact, 'nope')).toMatchObject({ ok: false });
    expect(convertValue(F.tags, 'vip; q3 , vip|expo')).toEqual({ ok: true, value: ['vip', 'q3', 'expo'] });
    expect(convertValue(companyEntity.fields.employeeCount, '2.5')).toEqual({
      ok: false,
      problem: '"2.5" is not a whole number',
    });
    expect(convertValue(F.currency, 'eur')).toEqual({ ok: true, value: 'EUR' });
    expect(convertValue(contactEntity.fields.email, ' Ann@X.com ')).toEqual({ ok: true, value: 'ann@x.com' });
    expect(convertValue(companyEntity.fields.website, 'acme.com')).toEqual({ ok: true, value: 'https://acme.com' });
  });
});

describe('dedupe keys and column matching', () => {
  it('keys contacts by email, companies by domain then name, deals by name and company', () => {
    expect(dedupeKeys('contact', { email: 'Ann@X.com ' })).toEqual(['email:ann@x.com']);
    expect(dedupeKeys('company', { name: 'Acme  Corp', website: 'https://www.acme.com/about' })).toEqual([
      'domain:acme.com',
      'name:acme corp',
    ]);
    expect(dedupeKeys('deal', { name: 'Renewal', companyId: 'c1' })).toEqual(['deal:renewal|c1']);
    expect(normaliseDomain('HTTP://WWW.Acme.com:8080/x')).toBe('acme.com');
  });

  it('maps a company file\u2019s account column to the name and a deal file\u2019s account to the company', () => {
    const company = matchColumns(['account', 'sector', 'year_established', 'subsidiary_of'], companyEntity);
    expect(company.map((m) => m.field)).toEqual(['name', 'industry', 'foundedYear', 'parentCompanyId']);
    const deal = matchColumns(['Deal name', 'Account', 'Deal stage', 'Close date', 'Value'], dealEntity);
    expect(deal.map((m) => m.field)).toEqual(['name', 'companyId', 'stage', 'expectedCloseDate', 'amount']);
  });
});
