import { describe, expect, it } from 'vitest';
import { fromInputText } from '../../../../src-renderer/ui/form-values';
import { getEntity } from '../../../../src-shared/entities/registry';
import type { FieldSpec } from '../../../../src-shared/schema/field';

const amount = getEntity('deal').allFields.amount as FieldSpec;
const inUsd = (text: string) => fromInputText(amount, text, { currency: 'USD' });

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
    expect(fromInputText(amount, '1.500', { currency: 'JPY' })).toEqual({ value: 1_500 });
  });

  it('names what it cannot read instead of storing another amount', () => {
    for (const text of ['12,5k', 'twelve', '1.2.3,4,5', '12.345 USD', '1,234,56', '1,234.567,8'])
      expect(inUsd(text).problem, text).toBe('must be an amount, e.g. 1250.50');
  });
});

describe('fromInputText: numbers', () => {
  const probability = getEntity('deal').allFields.probability as FieldSpec;
  it('reads a decimal comma as a decimal and a thousands separator as one', () => {
    expect(fromInputText(probability, '12,5', {})).toEqual({ value: 12.5 });
    expect(fromInputText(probability, '.5', {})).toEqual({ value: 0.5 });
    expect(fromInputText(probability, '1,000', {})).toEqual({ value: 1_000 });
    expect(fromInputText(probability, '12 %', {})).toEqual({ problem: 'must be a number' });
  });
});
