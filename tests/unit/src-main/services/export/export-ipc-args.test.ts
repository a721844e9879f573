import { describe, expect, it } from 'vitest';
import { IPC_ARG_SCHEMAS } from '../../../../../src-main/ipc/ipc-args';
import { saveDialogOptions } from '../../../../../src-main/services/export/save-dialog';
import { fixtureMeta, fixtureRow } from './export-fixture';

const problems = (result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  result.success ? [] : (result.error?.issues ?? []).map((i) => `${i.path.join('.')}: ${i.message}`);

describe('export IPC arguments', () => {
  it('accept a well-formed export', () => {
    expect(IPC_ARG_SCHEMAS['crm:export.chooseFile'].safeParse(['xlsx', 'contacts.xlsx']).success).toBe(true);
    expect(IPC_ARG_SCHEMAS['crm:export.begin'].safeParse(['/tmp/c.xlsx', fixtureMeta('xlsx')]).success).toBe(true);
    const chunk = { section: 0, rows: [fixtureRow(1), fixtureRow(9)] };
    expect(IPC_ARG_SCHEMAS['crm:export.append'].safeParse(['id-1', chunk]).success).toBe(true);
  });

  it('refuse an unknown format, naming it', () => {
    const result = IPC_ARG_SCHEMAS['crm:export.chooseFile'].safeParse(['docx', 'contacts.docx']);
    expect(problems(result).join()).toMatch(/^0: Invalid option: expected one of "csv"\|"xlsx"\|"pdf"\|"json"/);
    const meta = { ...fixtureMeta('csv'), format: 'html' };
    expect(problems(IPC_ARG_SCHEMAS['crm:export.begin'].safeParse(['/tmp/c.csv', meta])).join()).toContain('1.format');
  });

  it('refuse bad columns, cells and oversized chunks', () => {
    const badType = {
      ...fixtureMeta('csv'),
      sections: [{ name: 'A', columns: [{ key: 'x', header: 'X', type: 'blob' }] }],
    };
    expect(problems(IPC_ARG_SCHEMAS['crm:export.begin'].safeParse(['/tmp/c.csv', badType])).join()).toContain(
      '1.sections.0.columns.0.type',
    );
    const noColumns = { ...fixtureMeta('csv'), sections: [{ name: 'A', columns: [] }] };
    expect(IPC_ARG_SCHEMAS['crm:export.begin'].safeParse(['/tmp/c.csv', noColumns]).success).toBe(false);
    const cells = [[{ amount: 1, currency: 'dollars' }], [Number.NaN], [{ toString: 'x' }]];
    for (const row of cells) {
      expect(IPC_ARG_SCHEMAS['crm:export.append'].safeParse(['id', { section: 0, rows: [row] }]).success).toBe(false);
    }
    const huge = { section: 0, rows: Array.from({ length: 5001 }, () => ['x']) };
    expect(IPC_ARG_SCHEMAS['crm:export.append'].safeParse(['id', huge]).success).toBe(false);
    expect(IPC_ARG_SCHEMAS['crm:export.finish'].safeParse(['id', 'extra']).success).toBe(false);
  });

  it('the save dialog suggests a bare file name in the given folder', () => {
    expect(saveDialogOptions('csv', '/home/u/Downloads', '../../etc/passwd').defaultPath).toBe(
      '/home/u/Downloads/passwd',
    );
    expect(saveDialogOptions('pdf', '/d', 'a\\b\\report.pdf')).toMatchObject({
      defaultPath: '/d/report.pdf',
      filters: [{ extensions: ['pdf'] }],
    });
  });
});
