import { createHash } from 'node:crypto';
import type { Database } from '../../sync-server/src/db/database';
import { doc, ORG_USERS, seed } from './sync-scope-fixtures';

/**
 * A person to erase, with data about them in every place the CRM keeps it, all owned by rep A1:
 * marked values (MARKS) that appear nowhere else, so a search of every column of every table for
 * them finds exactly what erasure missed.
 */
export const PERSON = {
  id: 'c_gdpr',
  leadId: 'l_gdpr',
  firstName: 'Zorblatt',
  lastName: 'Quixmore',
  email: 'zorblatt.quixmore@example.test',
  phone: '+44 7700 900461',
};

/** Case-insensitive strings no table may hold after the erasure. */
export const MARKS = ['zorblatt', 'quixmore', '900461'];

export const FILE_BYTES = Buffer.from('Zorblatt Quixmore signed contract (PDF bytes)');
export const FILE_SHA = createHash('sha256').update(FILE_BYTES).digest('hex');

const owner = ORG_USERS.repA1.id;
const owned = (kind: string, id: string, overrides: Record<string, unknown> = {}) =>
  doc(kind, id, { ownerId: owner, createdBy: owner, updatedBy: owner, ...overrides });

export async function seedPerson(db: Database): Promise<void> {
  await seed(db, 'companies', [owned('company', 'co_gdpr', { name: 'Acme Widgets' })]);
  await seed(db, 'contacts', [
    owned('contact', PERSON.id, {
      firstName: PERSON.firstName,
      lastName: PERSON.lastName,
      email: PERSON.email,
      phone: PERSON.phone,
      companyId: 'co_gdpr',
      jobTitle: 'Head of Procurement',
      description: `${PERSON.firstName} prefers calls before 10`,
      convertedFromLeadId: PERSON.leadId,
    }),
    owned('contact', 'c_other', { firstName: 'Bernadette', lastName: 'Okafor', email: 'b.okafor@example.test' }),
  ]);
  await seed(db, 'leads', [
    owned('lead', PERSON.leadId, {
      firstName: PERSON.firstName,
      lastName: PERSON.lastName,
      email: PERSON.email,
      status: 'converted',
      convertedAt: '2026-03-01T09:00:00.000Z',
      convertedContactId: PERSON.id,
    }),
  ]);
  await seed(db, 'deals', [
    owned('deal', 'd_gdpr', { name: `${PERSON.lastName} renewal`, contactId: PERSON.id, companyId: 'co_gdpr' }),
  ]);
  await seed(db, 'content', [owned('content', 'ct_gdpr', { title: 'Pricing guide', type: 'whitepaper' })]);
  await seed(db, 'research', [
    owned('socialProfile', 'sp_gdpr', {
      subjectType: 'contact',
      subjectId: PERSON.id,
      platform: 'linkedin',
      url: 'https://www.linkedin.com/in/zorblatt-quixmore',
      handle: 'zquixmore',
    }),
    owned('companyResearch', 'cr_gdpr', {
      companyId: 'co_gdpr',
      title: 'Buying committee',
      summary: `Decision maker: ${PERSON.firstName} ${PERSON.lastName}, procurement. Also Bernadette Okafor.`,
    }),
  ]);
  await seed(db, 'activities', [
    owned('note', 'n_gdpr', {
      subjectType: 'contact',
      subjectId: PERSON.id,
      title: 'First call',
      body: `${PERSON.firstName} wants a discount`,
    }),
    owned('communication', 'm_gdpr', {
      type: 'email',
      subjectType: 'contact',
      subjectId: PERSON.id,
      contactId: PERSON.id,
      subject: 'Contract',
      body: `Dear ${PERSON.firstName}, attached the contract.`,
      // Inbound: an outbound e-mail needs the person's consent on record (consent is another feature).
      direction: 'inbound',
      status: 'received',
      toAddresses: ['u_rep_a1@example.com'],
      fromAddress: PERSON.email,
    }),
    owned('communication', 'm_unlinked', {
      type: 'email',
      subjectType: 'company',
      subjectId: 'co_gdpr',
      subject: 'Hello',
      body: 'Forwarded',
      direction: 'inbound',
      status: 'received',
      fromAddress: PERSON.email,
    }),
    owned('communicationAttachment', 'att_gdpr', {
      communicationId: 'm_gdpr',
      fileName: 'contract-quixmore.pdf',
      mimeType: 'application/pdf',
      sizeBytes: FILE_BYTES.length,
      sha256: FILE_SHA,
    }),
    owned('contentInteraction', 'ci_gdpr', {
      contentId: 'ct_gdpr',
      subjectType: 'contact',
      subjectId: PERSON.id,
      type: 'download',
    }),
    owned('leadActivity', 'la_gdpr', { leadId: PERSON.leadId, type: 'call', subject: `Called ${PERSON.firstName}` }),
  ]);
  await seed(db, 'tasks', [
    owned('task', 't_gdpr', {
      title: `Call ${PERSON.firstName} ${PERSON.lastName}`,
      subjectType: 'contact',
      subjectId: PERSON.id,
    }),
  ]);
  await db.query('INSERT INTO file_blobs (sha256, bytes, size_bytes, uploaded_by) VALUES ($1, $2, $3, $4)', [
    FILE_SHA,
    FILE_BYTES,
    FILE_BYTES.length,
    owner,
  ]);
}

/** Every column of every table (as text) that still holds one of the marks: `table.column: value`. */
export async function markedValues(db: Database): Promise<string[]> {
  const { rows: tables } = await db.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`,
  );
  const found: string[] = [];
  for (const { table_name } of tables) {
    const { rows } = await db.query<{ row: Record<string, unknown> }>(
      `SELECT to_jsonb(t) AS row FROM "${table_name}" AS t`,
    );
    for (const { row } of rows) {
      for (const [column, value] of Object.entries(row)) {
        // bytea comes as \x… hex: decode it so file bytes are searched too.
        let text = typeof value === 'string' ? value : JSON.stringify(value);
        if (typeof value === 'string' && value.startsWith('\\x'))
          text = Buffer.from(value.slice(2), 'hex').toString('latin1');
        const lower = text.toLowerCase();
        const mark = MARKS.find((m) => lower.includes(m));
        if (mark) found.push(`${table_name}.${column}: ${text.slice(0, 120)}`);
      }
    }
  }
  return found;
}
