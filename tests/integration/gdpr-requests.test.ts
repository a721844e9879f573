import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { UsageError } from '../../scripts/cli/cli-error';
import { gdprCommand } from '../../scripts/cli/gdpr.command';
import { csvFiles, type SubjectBundle } from '../../src-shared/privacy/subject-bundle';
import { verifyAuditChain } from '../../sync-server/src/audit/audit-chain';
import { startTestServer, type TestServer } from '../support/sync-server';
import { crm } from './cli-support';
import { FILE_BYTES, FILE_SHA, PERSON, seedPerson } from './gdpr-fixtures';
import { ORG_USERS, type OrgUser, scopedHeaderAuthenticate, seedOrg } from './sync-scope-fixtures';

/**
 * The data-subject requests over HTTP and the CLI on real Postgres: the access bundle's content,
 * every bad request refused with a 4xx (or exit code ≠ 0) naming the problem and nothing written,
 * and the audit chain after an erasure: valid, and broken again by any edit of a redacted entry.
 */

let server: TestServer;
const dir = mkdtempSync(join(tmpdir(), 'crm-gdpr-'));

beforeAll(async () => {
  server = await startTestServer('crm_gdpr_req', {
    authenticate: scopedHeaderAuthenticate,
    beforeListen: async (_app, db) => {
      await seedOrg(db);
      await seedPerson(db);
    },
  });
  // The in-process CLI (`cli` below) opens the server's database as `npm run crm` would.
  vi.stubEnv('DATABASE_URL', server.pgUrl);
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function call(user: OrgUser, method: 'GET' | 'POST', path: string, body?: unknown) {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      'x-user-id': ORG_USERS[user].id,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/**
 * `npm run crm -- gdpr …` in this process, the exit code as scripts/crm.ts maps errors (a usage
 * error 2, any other 1): a process per call costs ~15 s on the shared machine. One real process
 * below checks that mapping.
 */
async function cli(...args: string[]): Promise<{ code: number; stdout: string; error: string }> {
  const out: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out.push(String(chunk));
    return true;
  });
  try {
    await gdprCommand(args);
    return { code: 0, stdout: out.join(''), error: '' };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { code: error instanceof UsageError ? 2 : 1, stdout: out.join(''), error: message };
  } finally {
    spy.mockRestore();
  }
}

async function written(): Promise<{ erased: number; audit: number }> {
  const { rows } = await server.db.query<{ erased: number; audit: number }>(
    'SELECT (SELECT count(*)::int FROM erased_subjects) AS erased, (SELECT count(*)::int FROM audit_log) AS audit',
  );
  return rows[0] ?? { erased: -1, audit: -1 };
}

describe('access: the person’s data bundle', () => {
  it('holds the person, their converted lead, what references them, attachments by hash and their audit trail', async () => {
    const { status, body } = await call('admin', 'GET', `/privacy/subjects/contact/${PERSON.id}/export`);
    expect(status).toBe(200);
    const bundle = body as unknown as SubjectBundle;
    expect(bundle.subject).toEqual({ kind: 'contact', id: PERSON.id });
    expect(bundle.linked).toEqual([{ kind: 'lead', id: PERSON.leadId }]);
    const ids = (entity: string) => (bundle.records[entity] ?? []).map((r) => r.id).sort();
    expect(ids('contact')).toEqual([PERSON.id]);
    expect(ids('lead')).toEqual([PERSON.leadId]);
    expect(ids('note')).toEqual(['n_gdpr']);
    expect(ids('communication')).toEqual(['m_gdpr', 'm_unlinked']);
    expect(ids('socialProfile')).toEqual(['sp_gdpr']);
    expect(ids('contentInteraction')).toEqual(['ci_gdpr']);
    expect(ids('leadActivity')).toEqual(['la_gdpr']);
    expect(ids('task')).toEqual(['t_gdpr']);
    expect(ids('deal')).toEqual(['d_gdpr']);
    expect(bundle.attachments).toEqual([
      expect.objectContaining({ id: 'att_gdpr', sha256: FILE_SHA, bytesOnServer: true, communicationId: 'm_gdpr' }),
    ]);
    expect(bundle.audit.map((e) => e.entityId)).toContain(PERSON.id);
    expect(bundle.audit.map((e) => e.entityId)).toContain('n_gdpr');
    const csv = csvFiles(bundle);
    expect(csv.map((f) => f.name)).toContain('contact.csv');
    expect(csv.find((f) => f.name === 'contact.csv')?.text).toContain(PERSON.email);
  });

  it('refuses a caller who cannot read every record, a wrong kind and an unknown id', async () => {
    expect(await call('repA1', 'GET', `/privacy/subjects/contact/${PERSON.id}/export`)).toMatchObject({
      status: 403,
      body: { error: expect.stringMatching(/only those who read every contact/) },
    });
    expect(await call('admin', 'GET', `/privacy/subjects/company/co_gdpr/export`)).toMatchObject({
      status: 400,
      body: { field: 'kind', error: expect.stringMatching(/"company" is not a subject kind/) },
    });
    expect(await call('admin', 'GET', '/privacy/subjects/contact/nobody/export')).toMatchObject({
      status: 404,
      body: { field: 'id', error: 'id: no contact nobody on the server' },
    });
    expect(await call('admin', 'GET', `/privacy/subjects/lead/${PERSON.id}/export`)).toMatchObject({
      status: 404,
      body: { error: `id: no lead ${PERSON.id} on the server (${PERSON.id} is a contact)` },
    });
  });

  it('writes bundle.json, one CSV per entity and the attachment bytes from the CLI', async () => {
    const out = join(dir, 'bundle');
    const run = await cli('export', 'contact', PERSON.id, '--out', out);
    expect(run.error).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^gdpr export: contact c_gdpr → .*note 1.*; \d+ audit entries; 1 files\n$/);
    const bundle = JSON.parse(readFileSync(join(out, 'bundle.json'), 'utf8')) as SubjectBundle;
    expect(bundle.records.contact?.[0]?.email).toBe(PERSON.email);
    expect(readFileSync(join(out, 'files', FILE_SHA))).toEqual(FILE_BYTES);
    for (const name of ['contact.csv', 'lead.csv', 'note.csv', 'communication.csv', 'attachments.csv', 'audit.csv']) {
      expect(existsSync(join(out, name)), name).toBe(true);
    }
  });
});

describe('erasure: bad requests change nothing', () => {
  it('answers 4xx naming the problem', async () => {
    const before = await written();
    const path = `/privacy/subjects/contact/${PERSON.id}/erase`;
    expect(await call('repA1', 'POST', path, { reason: 'asked' })).toMatchObject({
      status: 403,
      body: { error: 'only an administrator may erase a person' },
    });
    expect(await call('admin', 'POST', path, {})).toMatchObject({ status: 400, body: { field: 'reason' } });
    expect(await call('admin', 'POST', path, { reason: '   ' })).toMatchObject({
      status: 400,
      body: { field: 'reason' },
    });
    expect(await call('admin', 'POST', path, { reason: 'x'.repeat(401) })).toMatchObject({
      status: 400,
      body: { error: 'reason: must be at most 400 characters' },
    });
    expect(await call('admin', 'POST', path, { reason: 'ok', hard: true })).toMatchObject({
      status: 400,
      body: { field: 'hard' },
    });
    expect(await call('admin', 'POST', '/privacy/subjects/deal/d_gdpr/erase', { reason: 'ok' })).toMatchObject({
      status: 400,
      body: { field: 'kind' },
    });
    expect(await call('admin', 'POST', '/privacy/subjects/lead/l_nobody/erase', { reason: 'ok' })).toMatchObject({
      status: 404,
      body: { error: 'id: no lead l_nobody on the server' },
    });
    expect(await written()).toEqual(before);
  });

  it('exits ≠ 0 from the CLI naming the problem', async () => {
    const noReason = await crm(server.pgUrl, 'gdpr', 'erase', 'contact', PERSON.id);
    expect(noReason.code).toBe(2);
    expect(noReason.stderr).toMatch(/--reason: is required/);
    const unknown = await cli('erase', 'contact', 'nobody', '--reason', 'asked');
    expect(unknown).toMatchObject({ code: 1, error: 'id: no contact nobody on the server' });
    const kind = await cli('erase', 'company', 'co_gdpr', '--reason', 'asked');
    expect(kind).toMatchObject({ code: 2, error: expect.stringMatching(/"company" is not a subject kind/) });
    expect(await cli('export', 'contact', PERSON.id)).toMatchObject({
      code: 2,
      error: 'gdpr export needs --out <dir>',
    });
    const notAdmin = await cli('erase', 'contact', PERSON.id, '--reason', 'x', '--as', 'u_rep_a1@example.com');
    expect(notAdmin.code).toBe(1);
    expect(notAdmin.error).toContain('is not an administrator');
    expect((await written()).erased).toBe(0);
  }, 90_000);
});

describe('erasure and the audit chain', () => {
  it('verifies after the erasure, refuses an edit of a redacted entry, and breaks when the owner makes one anyway', async () => {
    const run = await cli('erase', 'contact', PERSON.id, '--reason', 'Art. 17 request');
    expect(run.error).toBe('');
    expect(run.stdout).toMatch(/^gdpr erase: contact c_gdpr and lead l_gdpr erased at .*: 2 anonymised, \d+ removed/);
    const again = await cli('erase', 'contact', PERSON.id, '--reason', 'twice');
    expect(again).toMatchObject({ code: 1, error: expect.stringMatching(/was erased already/) });

    expect(await verifyAuditChain(server.db)).toMatchObject({ ok: true });

    // The application cannot rewrite a redacted entry: the trigger wants a matching redaction record.
    const { rows } = await server.db.query<{ entry_id: string; seq: string }>(
      `SELECT r.entry_id, a.seq::text AS seq FROM audit_redactions r JOIN audit_log a ON a.id = r.entry_id ORDER BY a.seq LIMIT 1`,
    );
    const target = rows[0];
    expect(target).toBeDefined();
    await expect(
      server.db.query(`UPDATE audit_log SET changes = '{"x":[1,2]}' WHERE id = $1`, [target?.entry_id]),
    ).rejects.toThrow(/append-only/);
    // The owner can (triggers off): verification then names the entry.
    await server.db.transaction(async (tx) => {
      await tx.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only');
      await tx.query(`UPDATE audit_log SET changes = '{"firstName":["Zorblatt",null]}' WHERE id = $1`, [
        target?.entry_id,
      ]);
      await tx.query('ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only');
    });
    expect(await verifyAuditChain(server.db)).toMatchObject({
      ok: false,
      broken: { problem: 'content', id: target?.entry_id, seq: target?.seq },
    });
  }, 90_000);
});
