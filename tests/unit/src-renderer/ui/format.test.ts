import { describe, expect, it } from 'vitest';
import { formatDate, formatFullDateTime, formatListDateTime, formatValue } from '../../../../src-renderer/ui/format';
import { getEntity } from '../../../../src-shared/entities/registry';
import type { FieldSpec } from '../../../../src-shared/schema/field';

// Local wall-clock dates, so that the assertions hold in any time zone; they look for the parts
// (year, time) rather than one locale's spelling.
const NOW = new Date(2026, 10, 30, 19, 45);
const THIS_YEAR = new Date(2026, 9, 31, 23, 41).toISOString();
const LAST_YEAR = new Date(2025, 9, 31, 23, 41).toISOString();

describe('formatListDateTime', () => {
  it("shows this year's date-time without the year, so it fits a list column", () => {
    const text = formatListDateTime(THIS_YEAR, NOW);
    expect(text).not.toContain('2026');
    expect(text).toMatch(/11:41|23:41/);
    expect(text.length).toBeLessThan(formatFullDateTime(THIS_YEAR).length);
  });

  it("shows another year's date with its year and without the time", () => {
    const text = formatListDateTime(LAST_YEAR, NOW);
    expect(text).toContain('2025');
    expect(text).not.toMatch(/11:41|23:41/);
  });

  it('shows nothing for a value that is not a date, instead of "Invalid Date"', () => {
    expect(formatListDateTime('not a date', NOW)).toBe('');
    expect(formatFullDateTime('not a date')).toBe('');
  });

  it('keeps the year and the time in the full form (the cell title)', () => {
    const text = formatFullDateTime(THIS_YEAR);
    expect(text).toContain('2026');
    expect(text).toMatch(/11:41|23:41/);
  });
});

describe('formatDate', () => {
  it('spells the month instead of the numeric 9/8/2025, and shows no time', () => {
    const text = formatDate(new Date(2025, 8, 8, 14, 5).toISOString());
    expect(text).toContain('2025');
    expect(text).not.toMatch(/^\d+\/\d+\/\d+$/);
    expect(text).not.toMatch(/14:05|2:05/);
    expect(formatDate('')).toBe('');
  });
});

describe('formatValue of an enum', () => {
  const platform = getEntity('socialProfile').allFields.platform as FieldSpec;
  it('spells brand names as their owners do, not as capitalised values ("Linkedin")', () => {
    expect(formatValue(platform, 'linkedin', {})).toBe('LinkedIn');
    expect(formatValue(platform, 'github', {})).toBe('GitHub');
  });
  it('capitalises values without a label, and words in camel case', () => {
    expect(formatValue(platform, 'facebook', {})).toBe('Facebook');
    expect(formatValue({ type: 'enum', values: ['formSubmitted'] }, 'formSubmitted', {})).toBe('Form Submitted');
  });
});
