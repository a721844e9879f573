import { describe, expect, it } from 'vitest';
import { contactEntity } from '../../../../src-shared/entities/contact.entity';
import { errorReportRows, mappingMemoryKey } from '../../../../src-shared/import/error-report';
import { planImport } from '../../../../src-shared/import/import-plan';

const table = {
  headers: ['First name', 'Email', 'Birthday', 'Company'],
  rows: [
    ['Ann', 'ann@x.com', '1990-02-01', 'Acme'],
    ['Bob', 'bob@x.com', 'someday', 'Acme'],
    ['Ann again', 'ANN@x.com', '', ''],
    ['Cy', 'cy@x.com', '', 'Nowhere Ltd'],
    ['Old', 'old@x.com', '', ''],
    ['', '', '', ''],
  ],
};
const mapping = ['firstName', 'email', 'birthday', 'companyId'];
const base = {
  entity: contactEntity,
  mapping,
  existing: new Map([['email:old@x.com', 'contact-old']]),
  resolveRef: (_: string, text: string) => (text === 'Acme' ? 'company-acme' : undefined),
  defaults: { source: 'import' },
};

describe('planImport', () => {
  it('gives each row an action, with problems naming the row and column', () => {
    const plan = planImport(table, { ...base, onDuplicate: 'skip' });
    expect(plan.rows.map((r) => r.action)).toEqual(['create', 'error', 'skip', 'error', 'skip', 'skip']);
    expect(plan.rows[0]?.values).toEqual({
      source: 'import',
      firstName: 'Ann',
      email: 'ann@x.com',
      birthday: '1990-02-01',
      companyId: 'company-acme',
    });
    expect(plan.rows[1]?.problems).toEqual([
      { row: 3, column: 'Birthday', field: 'birthday', problem: '"someday" is not a date (use 2026-01-31)' },
    ]);
    expect(plan.rows[2]?.reason).toBe('duplicate of row 2');
    expect(plan.rows[3]?.problems[0]).toMatchObject({
      row: 5,
      column: 'Company',
      problem: 'no company "Nowhere Ltd" found',
    });
    expect(plan.rows[4]).toMatchObject({ existingId: 'contact-old', reason: 'already exists' });
    expect(plan.counts).toEqual({ create: 1, update: 0, skip: 3, error: 2 });
  });

  it('updates the existing record when asked to, without the create defaults', () => {
    const plan = planImport(table, { ...base, onDuplicate: 'update' });
    expect(plan.rows[4]).toMatchObject({ action: 'update', existingId: 'contact-old' });
    expect(plan.rows[4]?.values).toEqual({ firstName: 'Old', email: 'old@x.com' });
  });

  it('reports problems and skipped rows as CSV rows, and keys remembered mappings by header set', () => {
    const plan = planImport(table, { ...base, onDuplicate: 'skip' });
    expect(errorReportRows(plan)).toEqual([
      ['Row', 'Column', 'Problem'],
      ['3', 'Birthday', '"someday" is not a date (use 2026-01-31)'],
      ['4', '', 'skipped: duplicate of row 2'],
      ['5', 'Company', 'no company "Nowhere Ltd" found'],
      ['6', '', 'skipped: already exists'],
    ]);
    // The file's own headers and values come back in the report: none opens as a formula.
    const hostile = planImport(
      { headers: ['First name', '=HYPERLINK("http://evil.example","x")'], rows: [['Ann', 'someday']] },
      { ...base, mapping: ['firstName', 'birthday'], onDuplicate: 'skip' },
    );
    const cells = errorReportRows(hostile).slice(1).flat();
    expect(cells.length).toBeGreaterThan(0);
    expect(cells.filter((cell) => /^[=+\-@]/.test(cell))).toEqual([]);
    expect(mappingMemoryKey('contact', ['A', 'b'])).toBe(mappingMemoryKey('contact', ['B', 'a ']));
    expect(mappingMemoryKey('contact', ['A'])).not.toBe(mappingMemoryKey('lead', ['A']));
  });
});
