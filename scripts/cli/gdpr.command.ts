import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isAdminRole } from '../../src-shared/auth/permissions';
import { csvFiles } from '../../src-shared/privacy/subject-bundle';
import { loadAccess } from '../../sync-server/src/auth/access';
import type { Database } from '../../sync-server/src/db/database';
import { HttpError } from '../../sync-server/src/http/errors';
import { checkReason, eraseSubject } from '../../sync-server/src/privacy/erasure.service';
import { exportSubject, fileBytes } from '../../sync-server/src/privacy/export.service';
import { parseSubject, type Subject } from '../../sync-server/src/privacy/subject';
import { parseArgs, UsageError } from './cli-error';
import { type CrmIo, processIo } from './crm-io';
import { resolveActor, type ServerActor } from './server-actor';
import { withServerDatabase } from './server-database';

export const gdprUsage = `gdpr export <contact|lead> <id> --out <dir> [--as <admin email>]
    Writes everything the sync server (DATABASE_URL, else PGlite in DATA_DIR) holds about the person
    into <dir>: bundle.json, one CSV per entity, attachments.csv, audit.csv and files/<sha256> with
    the attachments' bytes. Data a device has not synced yet is not on the server: the app's
    "Download data bundle" adds the device's own.
  gdpr erase <contact|lead> <id> --reason "<why>" [--as <admin email>]
    Erases the person (GDPR Art. 17): anonymised or removed everywhere, audit values redacted, the
    erasure audited; devices receive it at their next sync. Acts as --as, else the oldest admin.`;

/** The acting user, who must be an administrator. */
async function admin(db: Database, email: string | undefined): Promise<ServerActor> {
  const actor = await resolveActor(db, email);
  const access = await loadAccess(db, { userId: actor.id });
  if (access.kind === 'user' && !isAdminRole(access.permissions)) {
    throw new HttpError(403, `--as: ${actor.email} is not an administrator; only an administrator may do this`);
  }
  return actor;
}

function subjectOf(kind: string | undefined, id: string | undefined, rest: readonly string[]): Subject {
  if (kind === undefined || id === undefined) throw new UsageError('gdpr needs <contact|lead> <id>');
  if (rest.length > 0) throw new UsageError(`unexpected argument "${rest[0]}"`);
  try {
    return parseSubject(kind, id);
  } catch (error) {
    if (error instanceof HttpError) throw new UsageError(error.message);
    throw error;
  }
}

async function exportTo(db: Database, subject: Subject, out: string, actor: ServerActor): Promise<string> {
  const bundle = await exportSubject(db, subject, actor.id, new Date());
  await mkdir(join(out, 'files'), { recursive: true });
  await writeFile(join(out, 'bundle.json'), `${JSON.stringify(bundle, null, 2)}\n`);
  for (const file of csvFiles(bundle)) await writeFile(join(out, file.name), file.text);
  let files = 0;
  for (const a of bundle.attachments) {
    if (a.sha256 === undefined || !a.bytesOnServer) continue;
    const bytes = await fileBytes(db, a.sha256);
    if (bytes) {
      await writeFile(join(out, 'files', a.sha256), bytes);
      files++;
    }
  }
  const counts = Object.entries(bundle.records).map(([entity, rows]) => `${entity} ${rows.length}`);
  return `gdpr export: ${subject.kind} ${subject.id} → ${out}: ${counts.join(', ')}; ${bundle.audit.length} audit entries; ${files} files\n`;
}

export async function gdprCommand(argv: readonly string[], io: CrmIo = processIo()): Promise<void> {
  const { positional, flags } = parseArgs(argv, ['out', 'reason', 'as']);
  const [sub, kind, id, ...rest] = positional;
  if (sub !== 'export' && sub !== 'erase') {
    throw new UsageError(
      sub === undefined ? 'gdpr needs a subcommand: export or erase' : `unknown gdpr subcommand "${sub}"`,
    );
  }
  const subject = subjectOf(kind, id, rest);
  const as = flags.get('as');
  if (sub === 'export') {
    const out = flags.get('out');
    if (out === undefined) throw new UsageError('gdpr export needs --out <dir>');
    const text = await withServerDatabase(io.env, async (db) => exportTo(db, subject, out, await admin(db, as)));
    io.stdout.write(text);
    return;
  }
  let reason: string;
  try {
    reason = checkReason(flags.get('reason'));
  } catch (error) {
    if (error instanceof HttpError) throw new UsageError(`--${error.message}`);
    throw error;
  }
  const report = await withServerDatabase(io.env, async (db) => {
    const actor = await admin(db, as);
    return eraseSubject(db, { subject, reason, actorId: actor.id, now: () => new Date(), newId: newAuditId });
  });
  io.stdout.write(
    `gdpr erase: ${report.subjects.map((s) => `${s.kind} ${s.id}`).join(' and ')} erased at ${report.erasedAt}: ` +
      `${report.anonymised} anonymised, ${report.removed} removed, ${report.scrubbed} scrubbed, ` +
      `${report.auditRedacted} audit entries redacted, ${report.filesDeleted} files deleted; audit entry ${report.auditEntryId}\n`,
  );
}

function newAuditId(): string {
  return `srv_${crypto.randomUUID().replaceAll('-', '')}`;
}
