import { describe, expect, it } from 'vitest';
import {
  createRateBook,
  formatMoney,
  parseMoney,
  type Rate,
  totalIn,
} from '../../../../../src-renderer/features/deals/convert-money';

const rates: Rate[] = [
  { baseCurrency: 'USD', quoteCurrency: 'EUR', rate: 0.9, effectiveDate: '2026-01-01' },
  { baseCurrency: 'USD', quoteCurrency: 'EUR', rate: 0.8, effectiveDate: '2026-03-01' },
  { baseCurrency: 'USD', quoteCurrency: 'JPY', rate: 150, effectiveDate: '2026-01-01' },
  { baseCurrency: 'USD', quoteCurrency: 'GBP', rate: 0.75, effectiveDate: '2026-02-01' },
];
const book = createRateBook(rates, { USD: 2, EUR: 2, GBP: 2, JPY: 0 });

describe('createRateBook().convert', () => {
  it('uses the latest rate on or before the date', () => {
    expect(book.convert({ amount: 10_000, currency: 'USD' }, 'EUR', '2026-02-15')).toMatchObject({
      ok: true,
      amount: 9_000,
      rateDate: '2026-01-01',
    });
    expect(book.convert({ amount: 10_000, currency: 'USD' }, 'EUR', '2026-03-01T10:00:00.000Z')).toMatchObject({
      ok: true,
      amount: 8_000,
      rateDate: '2026-03-01',
    });
    // Without a date: the newest rate.
    expect(book.convert({ amount: 10_000, currency: 'USD' }, 'EUR')).toMatchObject({ ok: true, amount: 8_000 });
  });

  it('inverts a pair stored the other way round', () => {
    const result = book.convert({ amount: 9_000, currency: 'EUR' }, 'USD', '2026-02-01');
    expect(result).toMatchObject({ ok: true, amount: 10_000 });
  });

  it('goes through a shared base currency when no direct pair exists', () => {
    // 90 EUR → 100 USD → 75 GBP on 2026-02-01.
    expect(book.convert({ amount: 9_000, currency: 'EUR' }, 'GBP', '2026-02-01')).toMatchObject({
      ok: true,
      amount: 7_500,
      rateDate: '2026-01-01',
    });
  });

  it('respects each currency’s minor units (yen have none)', () => {
    expect(book.convert({ amount: 1_000, currency: 'USD' }, 'JPY', '2026-01-05')).toMatchObject({
      ok: true,
      amount: 1_500,
    });
    expect(book.convert({ amount: 1_500, currency: 'JPY' }, 'USD', '2026-01-05')).toMatchObject({
      ok: true,
      amount: 1_000,
    });
  });

  it('returns the same money unchanged for the same currency', () => {
    expect(book.convert({ amount: 123, currency: 'EUR' }, 'EUR', '1999-01-01')).toMatchObject({
      ok: true,
      amount: 123,
    });
  });

  it('says clearly when no rate exists (before the first rate, unknown currency)', () => {
    const early = book.convert({ amount: 100, currency: 'USD' }, 'GBP', '2026-01-15');
    expect(early).toEqual({ ok: false, currency: 'GBP', reason: 'No USD → GBP exchange rate on or before 2026-01-15' });
    const unknown = book.convert({ amount: 100, currency: 'CHF' }, 'USD');
    expect(unknown).toMatchObject({ ok: false, reason: 'No CHF → USD exchange rate' });
  });

  it('ignores unusable rates (zero, same currency)', () => {
    const broken = createRateBook([
      { baseCurrency: 'USD', quoteCurrency: 'EUR', rate: 0, effectiveDate: '2026-01-01' },
      { baseCurrency: 'USD', quoteCurrency: 'USD', rate: 2, effectiveDate: '2026-01-01' },
    ]);
    expect(broken.convert({ amount: 100, currency: 'USD' }, 'EUR').ok).toBe(false);
  });
});

describe('totalIn', () => {
  it('adds mixed currencies at their own dates and counts what it could not convert', () => {
    const total = totalIn(
      book,
      [
        { amount: 10_000, currency: 'USD' },
        { amount: 9_000, currency: 'EUR', date: '2026-01-10' },
        { amount: 500, currency: 'CHF' },
      ],
      'USD',
    );
    expect(total).toEqual({ amount: 20_000, currency: 'USD', missing: 1 });
  });
});

describe('parseMoney / formatMoney', () => {
  it('reads what people type into minor units', () => {
    expect(parseMoney('1,234.50', 2)).toBe(123_450);
    expect(parseMoney('1234,5', 2)).toBe(123_450);
    expect(parseMoney('$ 99', 2)).toBe(9_900);
    expect(parseMoney('1,500', 0)).toBe(1_500);
    expect(parseMoney('1.5', 0)).toBeUndefined();
    expect(parseMoney('abc', 2)).toBeUndefined();
    expect(parseMoney('', 2)).toBeUndefined();
  });

  it('reads three digits after one mark by the locale, and a longer fraction than the currency has as no amount', () => {
    // KWD has 3 decimals: a price of 1.085 shown as "1.085" (or "1,085" in German) reads back as it was.
    expect(parseMoney('1.085', 3, '.')).toBe(1_085);
    expect(parseMoney('1,085', 3, ',')).toBe(1_085);
    expect(parseMoney('1,085', 3, '.')).toBe(1_085_000);
    expect(parseMoney('1,234.567', 3, '.')).toBe(1_234_567);
    // Were 1,234,567 and 1,085 dollars.
    expect(parseMoney('1,234.567', 2, '.')).toBeUndefined();
    expect(parseMoney('1.085', 2, '.')).toBeUndefined();
    expect(parseMoney('12,500', 2, '.')).toBe(1_250_000);
    expect(parseMoney('12.500', 2, ',')).toBe(1_250_000);
  });

  it('formats minor units in the currency', () => {
    expect(formatMoney(123_450, 'USD', 2)).toContain('1,234.50');
    expect(formatMoney(150_000, 'JPY', 0)).toContain('150,000');
  });
});
