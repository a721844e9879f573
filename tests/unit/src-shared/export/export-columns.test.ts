import { describe, expect, it } from 'vitest';
import { auditLogEntity } from '../../../../src-shared/entities/audit.entity';
import { getEntity } from '../../../../src-shared/entities/registry';
import { exportAuditEntry } from '../../../../src-shared/export/export-audit';
import { cellText, currencyDigits, exportRow } from '../../../../src-shared/export/export-cells';
import { ExportError, exportColumnsFor, exportFileName } from '../../../../src-shared/export/export-columns';
import { moneyFormat, sheetName, xlsxCell } from '../../../../src-shared/export/export-layout';
import { asOfText } from '../../../../src-shared/export/export-meta';
import { assertValid, type CustomFieldDef } from '../../../../src-shared/schema/validate';

const deal = getEntity('deal');
const REGION: CustomFieldDef = {
  key: 'region',
  label: 'Sales region',
  fieldType: 'enum',
  options: ['north', 'southWest'],
  required: false,
  active: true,
};
const SEATS: CustomFieldDef = { key: 'seats', label: 'Seats', fieldType: 'integer', required: false, active: true };
const OLD: CustomFieldDef = { key: 'old', label: 'Old', fieldType: 'string', required: false, active: false };

describe('exportColumnsFor', () => {
  it('types columns from the registry and custom field definitions, in the order on screen', () => {
    const sources = exportColumnsFor(
      deal,
      ['name', 'amount', 'expectedCloseDate', 'ownerId', 'customFields.seats', 'customFields.region'],
      [REGION, SEATS],
    );
    expect(sources.map((s) => s.column)).toEqual([
      { key: 'name', header: 'Name', type: 'text' },
      { key: 'amount', header: 'Amount', type: 'money' },
      { key: 'expectedCloseDate', header: 'Expected close', type: 'date' },
      { key: 'ownerId', header: 'Owner', type: 'text' },
      { key: 'customFields.seats', header: 'Seats', type: 'number' },
      { key: 'customFields.region', header: 'Sales region', type: 'text' },
    ]);
  });

  it('refuses columns that are not the entity’s, naming them', () => {
    expect(() => exportColumnsFor(deal, ['name', 'password'])).toThrow(
      new ExportError('columns.password', 'is not a field of Deal'),
    );
    expect(() => exportColumnsFor(deal, ['customFields.old'], [OLD])).toThrow(
      'columns.customFields.old is not a custom field of Deal',
    );
    expect(() => exportColumnsFor(deal, ['name', 'name'])).toThrow('columns.name is given twice');
    expect(() => exportColumnsFor(deal, [])).toThrow('columns must name at least one field');
    expect(() => exportColumnsFor(deal, ['constructor'])).toThrow('columns.constructor is not a field of Deal');
  });
});

describe('cells', () => {
  it('converts a record: money to major units with its currency, enums in words, dates as dates', () => {
    const sources = exportColumnsFor(
      deal,
      ['name', 'amount', 'expectedCloseDate', 'customFields.region', 'customFields.seats'],
      [REGION, SEATS],
    );
    const row = exportRow(sources, {
      name: 'Rockets',
      amount: 123456,
      currency: 'JPY',
      expectedCloseDate: '2026-04-30',
      customFields: { region: 'southWest', seats: 12 },
    });
    expect(row).toEqual(['Rockets', { amount: 123456, currency: 'JPY' }, '2026-04-30', 'South west', 12]);
    expect(exportRow(sources, { name: 'X', amount: 1999, currency: 'EUR' })).toEqual([
      'X',
      { amount: 19.99, currency: 'EUR' },
      null,
      null,
      null,
    ]);
    expect(currencyDigits('KWD')).toBe(3);
    expect(
      cellText(sources[1]?.column ?? { key: '', header: '', type: 'money' }, { amount: 19.99, currency: 'EUR' }),
    ).toBe('€19.99');
  });

  it('types spreadsheet cells', () => {
    expect(xlsxCell({ key: 'a', header: 'A', type: 'money' }, { amount: 5, currency: 'USD' })).toEqual({
      value: 5,
      numFmt: '#,##0.00 "USD"',
    });
    expect(xlsxCell({ key: 'd', header: 'D', type: 'date' }, '2026-04-30').value).toEqual(
      new Date('2026-04-30T00:00:00Z'),
    );
    expect(moneyFormat('JPY')).toBe('#,##0 "JPY"');
    expect(sheetName('Q1: [won]/lost?', new Set())).toBe('Q1   won  lost');
    expect(sheetName('Deals', new Set(['deals']))).toBe('Deals (2)');
  });

  it('names files and stamps them', () => {
    expect(exportFileName('Open deals — Q1!', 'xlsx', new Date('2026-03-10T09:00:00Z'))).toBe(
      'open-deals-q1-2026-03-10.xlsx',
    );
    // A list's name in any script keeps its letters (they were all dropped: 'export-2026-03-10.csv').
    const at = new Date('2026-03-10T09:00:00Z');
    expect(exportFileName('Clientes España', 'csv', at)).toBe('clientes-españa-2026-03-10.csv');
    expect(exportFileName('李小龍的客户', 'pdf', at)).toBe('李小龍的客户-2026-03-10.pdf');
    expect(exportFileName('Zoë’s deals 🚀', 'json', at)).toBe('zoë-s-deals-2026-03-10.json');
    expect(exportFileName('🚀 / ?', 'csv', at)).toBe('export-2026-03-10.csv');
    // A long title stays within the 255 bytes file systems allow for a name.
    const long = exportFileName('客'.repeat(200), 'xlsx', at);
    expect(new TextEncoder().encode(long).length).toBeLessThanOrEqual(255);
    expect(long.endsWith('-2026-03-10.xlsx')).toBe(true);
    expect(asOfText({ asOf: null, exportedAt: '2026-03-10T09:00:00.000Z' })).toBe(
      'Data as of last sync: never synced (local data) · exported 2026-03-10 09:00 UTC',
    );
  });
});

describe('exportAuditEntry', () => {
  it('is a valid audit log entry of the registry as it stands', () => {
    const entry = exportAuditEntry({
      format: 'pdf',
      entity: 'deal',
      collectionName: 'deals',
      title: 'Open deals',
      rowCount: 1234,
      firstId: 'deal-1',
      filters: [{ label: 'Stage', value: 'x'.repeat(600) }],
      at: '2026-03-10T09:00:00.000Z',
      actorId: 'user-1',
      deviceId: 'device-1',
    });
    const record = {
      ...entry,
      id: 'a1',
      kind: 'auditLog',
      ownerId: 'user-1',
      createdAt: '2026-03-10T09:00:00.000Z',
      updatedAt: '2026-03-10T09:00:00.000Z',
      createdBy: 'user-1',
      updatedBy: 'user-1',
      isDeleted: false,
      newest: 1,
    };
    expect(() => assertValid(auditLogEntity, record)).not.toThrow();
    expect(String(entry.reason)).toMatch(/^Export: PDF of 1234 Open deals \(Filters: Stage: x+…$/);
    expect(String(entry.reason)).toHaveLength(500);
  });
});
