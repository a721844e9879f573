import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { EntityRepository } from '../../../../../src-renderer/db/entity-repository';
import { DeleteRestoreClose } from '../../../../../src-renderer/features/records/DeleteRestoreClose';
import type { EntityDef } from '../../../../../src-shared/schema/define-entity';

// Rendering only: no button is clicked, so the repository is never called.
const repo = {} as EntityRepository<EntityDef>;
const close = () => {};

/** Each button's accessible name: its aria-label, else its text. */
const buttons = (props: { isDeleted: boolean; canUpdate: boolean; canDelete: boolean; onClose?: () => void }) =>
  [
    ...renderToStaticMarkup(createElement(DeleteRestoreClose, { repo, id: 'r1', ...props })).matchAll(
      /<button([^>]*)>([^<]*)<\/button>/g,
    ),
  ].map(([, attributes, text]) => /aria-label="([^"]*)"/.exec(attributes ?? '')?.[1] ?? text);

describe('the Delete / Restore / Close buttons of a record header', () => {
  it('offers Delete on a live record and Restore on a deleted one, each with its permission', () => {
    expect(buttons({ isDeleted: false, canUpdate: true, canDelete: true, onClose: close })).toEqual([
      'Delete',
      'Close',
    ]);
    expect(buttons({ isDeleted: true, canUpdate: true, canDelete: true, onClose: close })).toEqual([
      'Restore',
      'Close',
    ]);
    expect(buttons({ isDeleted: false, canUpdate: true, canDelete: false, onClose: close })).toEqual(['Close']);
    expect(buttons({ isDeleted: true, canUpdate: false, canDelete: true, onClose: close })).toEqual(['Close']);
  });

  it('shows Close only when the view can be closed', () => {
    expect(buttons({ isDeleted: false, canUpdate: true, canDelete: true })).toEqual(['Delete']);
  });

  it('marks Delete as dangerous and names the Close button for screen readers', () => {
    const html = renderToStaticMarkup(
      createElement(DeleteRestoreClose, {
        repo,
        id: 'r1',
        isDeleted: false,
        canUpdate: true,
        canDelete: true,
        onClose: close,
      }),
    );
    expect(html).toContain('<button type="button" class="danger">Delete</button>');
    expect(html).toContain('<button type="button" class="icon-button" aria-label="Close">×</button>');
  });
});
