import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { FieldInput } from '../../../../src-renderer/ui/FieldInput';
import { UNREADABLE_DATE } from '../../../../src-renderer/ui/form-values';
import { getEntity } from '../../../../src-shared/entities/registry';
import type { FieldSpec } from '../../../../src-shared/schema/field';

const noop = () => {};
const field = (entity: string, name: string) => getEntity(entity as never).allFields[name] as FieldSpec;
const options = (html: string) => [...html.matchAll(/<option value="([^"]*)"([^>]*)>([^<]*)</g)];
const selected = (html: string) => options(html).filter(([, , attributes]) => attributes?.includes('selected'));

describe('FieldInput: a required choice with no default', () => {
  it('shows that nothing is chosen yet, not the first choice the form does not hold', () => {
    // New content showed "Blog Post" in Type and then said "Type is required".
    const html = renderToStaticMarkup(<FieldInput id="t" field={field('content', 'type')} text="" onText={noop} />);
    expect(selected(html).map(([, value, , label]) => [value, label])).toEqual([['', 'Choose…']]);
    expect(selected(html)[0]?.[2]).toContain('disabled');
  });

  it('offers no empty choice once one is chosen, and "—" for an optional choice', () => {
    const type = renderToStaticMarkup(
      <FieldInput id="t" field={field('content', 'type')} text="ebook" onText={noop} />,
    );
    expect(options(type).map(([, value]) => value)).not.toContain('');
    const optional = renderToStaticMarkup(<FieldInput id="t" field={field('deal', 'type')} text="" onText={noop} />);
    expect(options(optional)[0]?.[3]).toBe('—');
  });
});

describe('FieldInput: a required choice with a default', () => {
  it('shows the default the record will be stored with while nothing is chosen', () => {
    // The browser showed "Active", the first choice, for a new integration stored "Disconnected".
    const html = renderToStaticMarkup(
      <FieldInput id="s" field={field('externalIntegration', 'status')} text="" onText={noop} />,
    );
    expect(selected(html).map(([, value]) => value)).toEqual(['disconnected']);
    expect(options(html).map(([, value]) => value)).not.toContain('');
  });
});

describe('FieldInput: text is not cut to the limit', () => {
  it('has no maxlength, so a pasted long text reaches the check that names the limit', () => {
    // A 400-character "Next step" was cut to 300 by the browser without a word.
    const html = renderToStaticMarkup(
      <FieldInput id="n" field={field('deal', 'nextStep')} text={'x'.repeat(400)} onText={noop} />,
    );
    expect(html).not.toMatch(/maxlength/i);
    expect(html).toContain(`value="${'x'.repeat(400)}"`);
  });
});

describe('FieldInput: a date the browser could not read', () => {
  it('shows the input empty, as the browser holds it, not the marker the form keeps', () => {
    const html = renderToStaticMarkup(
      <FieldInput id="d" field={field('deal', 'expectedCloseDate')} text={UNREADABLE_DATE} onText={noop} />,
    );
    expect(html).toMatch(/<input[^>]*type="date"[^>]*value=""/);
  });
});
