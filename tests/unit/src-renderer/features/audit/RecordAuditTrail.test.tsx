import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { type Crm, CrmProvider } from '../../../../../src-renderer/app/crm-context';
import { RecordAuditTrail } from '../../../../../src-renderer/features/audit';
import { builtInPermissions } from '../../../../../src-shared/auth/built-in-roles';
import { parsePermissions } from '../../../../../src-shared/auth/permissions';

/**
 * The record pages' History section is drawn at start, its trail (AuditList) fetched on demand. There
 * is no DOM in unit tests: server rendering shows what a first render draws before the trail's code
 * is here, which is the Suspense fallback.
 */
function render(permissions: Record<string, unknown>, defaultOpen: boolean): string {
  // Only `user.permissions` is read before the trail's code arrives (useCan); the rest is never touched.
  const crm = { user: { id: 'u1', name: 'Ann', roleId: 'r1', permissions: parsePermissions(permissions) } };
  return renderToStaticMarkup(
    <CrmProvider value={crm as unknown as Crm}>
      <RecordAuditTrail entity="contact" recordId="c1" defaultOpen={defaultOpen} />
    </CrmProvider>,
  );
}

describe('RecordAuditTrail', () => {
  it('says "Loading history…" as a status while the opened trail is fetched, its toggle and link already there', () => {
    const html = render(builtInPermissions('rep'), true);
    expect(html).toContain('<section class="section record-audit" aria-label="History">');
    expect(html).toMatch(/<button type="button" class="record-audit-toggle" aria-expanded="true">.*History<\/button>/);
    expect(html).toContain('Open in audit log');
    expect(html).toContain('<p class="loading-status" role="status">Loading history…</p>');
  });

  it('draws only the collapsed toggle by default, with no fallback', () => {
    const html = render(builtInPermissions('rep'), false);
    expect(html).toMatch(/<button type="button" class="record-audit-toggle" aria-expanded="false">.*History<\/button>/);
    expect(html).not.toContain('Loading history');
    expect(html).not.toContain('Open in audit log');
  });

  it('draws nothing for a role that may not read the audit log', () => {
    expect(render({}, true)).toBe('');
  });
});
