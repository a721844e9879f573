import { parse } from 'csv-parse/sync';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import type { ExportCell } from '../../../../src-shared/export/export-cells';
import type { ExportColumn } from '../../../../src-shared/export/export-columns';
import type { ExportMeta } from '../../../../src-shared/export/export-meta';
import { csvEncoder } from '../../../../src-shared/export/text-encoders';

// CSV injection (https://owasp.org/www-community/attacks/CSV_Injection): a text cell starting with
// = + - @ tab or CR is run as a formula by Excel and LibreOffice when the rep opens the export.

const COLUMNS: ExportColumn[] = [
  { key: 'name', header: 'Name', type: 'text' },
  { key: 'balance', header: 'Balance', type: 'number' },
  { key: 'amount', header: 'Amount', type: 'money' },
  { key: 'note', header: 'Note', type: 'text' },
];

function meta(columns = COLUMNS): ExportMeta {
  return {
    format: 'csv',
    title: 'Contacts',
    entity: 'contact',
    filters: [],
    asOf: null,
    exportedAt: '2026-03-10T09:00:00.000Z',
    sections: [{ name: 'Contacts', columns }],
  };
}

function encode(rows: ExportCell[][], m = meta()) {
  const encoder = csvEncoder(m, (r, config) => Papa.unparse(r, config));
  const text = encoder.chunk({ section: 0, rows }) + encoder.end();
  return parse(text, { bom: true, columns: true, relax_quotes: false }) as Record<string, string>[];
}

describe('CSV formula injection', () => {
  it('prefixes a quote to every text cell a spreadsheet would read as a formula', () => {
    const hostile = [
      '=HYPERLINK("http://evil","x")',
      "+1+cmd|' /C calc'!A0",
      '-2+3',
      '@SUM(1+1)',
      '\t=1+1',
      '\r=1+1',
      '=1+1\nsecond line',
    ];
    const records = encode(hostile.map((text) => [text, 1, null, text]));
    expect(records.map((r) => r.Name)).toEqual(hostile.map((text) => `'${text}`));
    expect(records.map((r) => r.Note)).toEqual(hostile.map((text) => `'${text}`));
  });

  it('leaves numbers, money and harmless text as they are: a negative number stays a number', () => {
    const records = encode([
      ['Zoë Ñúñez', -12.5, { amount: -40.25, currency: 'EUR' }, 'a = b, + c'],
      ['李小龍 🐉', 0, null, null],
    ]);
    expect(records).toEqual([
      { Name: 'Zoë Ñúñez', Balance: '-12.5', Amount: '-40.25', 'Amount currency': 'EUR', Note: 'a = b, + c' },
      { Name: '李小龍 🐉', Balance: '0', Amount: '', 'Amount currency': '', Note: '' },
    ]);
  });

  it('leaves phone numbers and signed figures whole: no letter or = @ | ! in them, nothing to run', () => {
    const phones = ['+34 600 123 456', '-1 (555) 010-0100', '+44/20.7946.0958'];
    expect(encode(phones.map((p) => [p, null, null, p])).map((r) => [r.Name, r.Note])).toEqual(
      phones.map((p) => [p, p]),
    );
    expect(encode([['+1 555 0100 x12', null, null, '-1+A1']]).map((r) => [r.Name, r.Note])).toEqual([
      ["'+1 555 0100 x12", "'-1+A1"],
    ]);
  });

  it('escapes a header too (a custom field may be named by anyone who can add one)', () => {
    const text = csvEncoder(meta([{ key: 'customFields.x', header: '=1+1', type: 'text' }]), (r, c) =>
      Papa.unparse(r, c),
    ).end();
    expect(parse(text, { bom: true })).toEqual([["'=1+1"]]);
  });
});
