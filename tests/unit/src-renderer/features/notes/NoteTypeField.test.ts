import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { NoteTypeField } from '../../../../../src-renderer/features/notes/components/NoteTypeField';

describe('the Type row of the note forms', () => {
  it('labels a select of every note type, with no empty choice (a note always has a type)', () => {
    const html = renderToStaticMarkup(createElement(NoteTypeField, { formId: 'f', value: 'call', onChange: () => {} }));
    expect(html).toContain('<label for="f-type">Type</label>');
    expect(html).toMatch(/<select id="f-type">/);
    expect([...html.matchAll(/<option value="([^"]*)"[^>]*>([^<]*)</g)].map((m) => [m[1], m[2]])).toEqual([
      ['general', 'General'],
      ['meeting', 'Meeting'],
      ['call', 'Call'],
      ['internal', 'Internal'],
    ]);
    expect(html).toContain('<option value="call" selected="">Call</option>');
  });
});
