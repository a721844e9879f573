import { renderToStaticMarkup } from 'react-dom/server';
import { afterEach, describe, expect, it } from 'vitest';
import { type Crm, CrmProvider } from '../../../../src-renderer/app/crm-context';
import {
  draftOf,
  editDraftPlace,
  newDraftPlace,
  staleDraftNotice,
  useRecordFormDrafts,
} from '../../../../src-renderer/ui/form-drafts.store';
import { RecordForm } from '../../../../src-renderer/ui/RecordForm';
import { getEntity } from '../../../../src-shared/entities/registry';

const deal = getEntity('deal');
const at = new Date('2026-12-01T05:10:00Z');
const hhmm = (iso: string) => iso.slice(11, 16);
// RecordForm reads the database only in effects (custom fields), which a static render does not run.
const crm = { db: { rx: { collections: {} } } } as unknown as Crm;
const render = (node: React.ReactNode) => renderToStaticMarkup(<CrmProvider value={crm}>{node}</CrmProvider>);
const inputValue = (html: string, label: string) => {
  const id = new RegExp(`<label for="([^"]+)">${label}`).exec(html)?.[1];
  // An empty input has no value attribute.
  const match = new RegExp(`<input[^>]*id="${id}"[^>]*>`).exec(html)?.[0];
  return /value="([^"]*)"/.exec(match ?? '')?.[1] ?? '';
};

afterEach(() => useRecordFormDrafts.setState({ drafts: {} }));

describe('draftOf', () => {
  const initial = { texts: { name: 'Acme renewal', amount: '1000.00' }, customTexts: { region: 'EU' } };

  it('keeps only the inputs the user changed, with the base and the time', () => {
    const draft = draftOf(
      initial,
      { texts: { name: 'Acme renewal 2027', amount: '1000.00' }, customTexts: { region: 'EU', tier: 'gold' } },
      '2026-11-30T10:00:00.000Z',
      at,
    );
    expect(draft).toEqual({
      texts: { name: 'Acme renewal 2027' },
      customTexts: { tier: 'gold' },
      base: '2026-11-30T10:00:00.000Z',
      at: '2026-12-01T05:10:00.000Z',
    });
  });

  it('is no draft when the form is back as it opened', () => {
    expect(draftOf(initial, initial, undefined, at)).toBeUndefined();
  });
});

describe('staleDraftNotice', () => {
  const draft = { texts: { name: 'x' }, customTexts: {}, base: '2026-11-30T10:00:00.000Z', at: at.toISOString() };

  it('says nothing while the record is the one the draft was begun on, or for a new record', () => {
    expect(staleDraftNotice(draft, '2026-11-30T10:00:00.000Z', hhmm)).toBeUndefined();
    expect(staleDraftNotice({ ...draft, base: undefined }, 'anything', hhmm)).toBeUndefined();
    expect(staleDraftNotice(undefined, 'anything', hhmm)).toBeUndefined();
  });

  it('says when the record was saved since the draft was begun', () => {
    expect(staleDraftNotice(draft, '2026-12-01T05:20:00.000Z', hhmm)).toBe(
      'Your unsaved changes from 05:10 are shown; the record has changed since. Cancel discards them.',
    );
  });
});

describe('RecordForm with a draft place', () => {
  const record = {
    id: 'd1',
    name: 'Acme renewal',
    stage: 'prospecting',
    currency: 'USD',
    description: 'old text',
    updatedAt: '2026-11-30T10:00:00.000Z',
  };
  const form = (initial: Record<string, unknown>, place: string) => (
    <RecordForm
      entity={deal}
      fields={['name', 'description']}
      initial={initial}
      submitLabel="Save"
      draftPlace={place}
      onSubmit={async () => undefined}
    />
  );

  it('opens with what was typed before Escape, over the record', () => {
    useRecordFormDrafts.getState().keep(editDraftPlace('deal', 'd1'), {
      texts: { name: 'Acme renewal 2027' },
      customTexts: {},
      base: record.updatedAt,
      at: at.toISOString(),
    });
    const html = render(form(record, editDraftPlace('deal', 'd1')));
    expect(inputValue(html, 'Name')).toBe('Acme renewal 2027');
    expect(html).not.toContain('has changed since');
  });

  it('says so when the record was saved since, and keeps its newer values the draft did not touch', () => {
    useRecordFormDrafts.getState().keep(editDraftPlace('deal', 'd1'), {
      texts: { name: 'Acme renewal 2027' },
      customTexts: {},
      base: record.updatedAt,
      at: at.toISOString(),
    });
    const html = render(
      form(
        { ...record, description: 'newer text', updatedAt: '2026-12-01T05:20:00.000Z' },
        editDraftPlace('deal', 'd1'),
      ),
    );
    expect(inputValue(html, 'Name')).toBe('Acme renewal 2027');
    expect(html).toContain('newer text');
    expect(html).toContain('the record has changed since');
  });

  it('does not show one place’s draft at another', () => {
    useRecordFormDrafts.getState().keep(newDraftPlace('deal', 'board'), {
      texts: { name: 'Typed on the board' },
      customTexts: {},
      at: at.toISOString(),
    });
    expect(inputValue(render(form({}, newDraftPlace('deal', 'list'))), 'Name')).toBe('');
    expect(inputValue(render(form({}, newDraftPlace('deal', 'board'))), 'Name')).toBe('Typed on the board');
  });
});
