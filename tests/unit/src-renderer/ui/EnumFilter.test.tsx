import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { plural } from '../../../../src-renderer/features/records/EntityList';
import { EnumFilter } from '../../../../src-renderer/ui/EnumFilter';
import { contactEntity } from '../../../../src-shared/entities/contact.entity';
import { dealEntity } from '../../../../src-shared/entities/deal.entity';

const noop = () => {};

/** E2e tests and benchmarks select filters by these names (`select[aria-label="Filter by status"]`). */
describe('EnumFilter', () => {
  it('is named "Filter by <label in lower case>" by default', () => {
    const html = renderToStaticMarkup(
      <EnumFilter entity={contactEntity} field="status" anyLabel="All statuses" value="" onChange={noop} />,
    );
    expect(html).toContain('aria-label="Filter by status"');
    expect(html).toContain('<option value="" selected="">All statuses</option>');
  });

  it('keeps a name it is given, as the generic list gives its own ("Filter by Stage")', () => {
    const html = renderToStaticMarkup(
      <EnumFilter
        entity={dealEntity}
        field="stage"
        anyLabel="All stage"
        ariaLabel="Filter by Stage"
        value="proposal"
        onChange={noop}
      />,
    );
    expect(html).toContain('aria-label="Filter by Stage"');
    expect(html).toContain('<option value="">All stage</option>');
    expect(html).toMatch(/<option value="proposal" selected="">/);
  });

  it('refuses a field that is not an enum, naming it', () => {
    expect(() =>
      renderToStaticMarkup(<EnumFilter entity={dealEntity} field="name" anyLabel="All" value="" onChange={noop} />),
    ).toThrow(/deal\.name is not an enum field/);
  });
});

describe('a list filter\'s "All …" option', () => {
  it('names the plural of the field ("All stages", "All statuses", "All priorities")', () => {
    expect(['stage', 'status', 'priority', 'day', 'box'].map(plural)).toEqual([
      'stages',
      'statuses',
      'priorities',
      'days',
      'boxes',
    ]);
  });
});
