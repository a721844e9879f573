import { type ChainReport, verifyAuditChain } from '../../sync-server/src/audit/audit-chain';
import { parseArgs, UsageError } from './cli-error';
import { type CrmIo, processIo } from './crm-io';
import { withServerDatabase } from './server-database';

export const auditUsage = `audit verify
    Walks the sync server's audit trail (DATABASE_URL, else embedded PGlite in DATA_DIR) along its
    hash chain, oldest entry first. Prints "audit verify: OK, N entries" (exit code 0), or the first
    broken link: its seq, entry id, what failed, the expected and the actual value (exit code 1).`;

/** Thrown to end the command with exit code 1 after the report is printed. */
export class AuditChainBroken extends Error {
  override readonly name = 'AuditChainBroken';
}

export function describeReport(report: ChainReport, where: string): string {
  if (report.ok) return `audit verify: OK, ${report.count} entries in ${where}, head ${report.head}\n`;
  const b = report.broken;
  return [
    `audit verify: BROKEN at seq ${b.seq || '(none)'}, entry ${b.id || '(chain head)'}: ${b.problem} does not match`,
    `  expected ${b.expected}`,
    `  actual   ${b.actual}`,
    `  ${report.count} entries before it are intact (in ${where})`,
    '',
  ].join('\n');
}

export async function auditCommand(argv: readonly string[], io: CrmIo = processIo()): Promise<void> {
  const { positional } = parseArgs(argv, []);
  const [sub, ...rest] = positional;
  if (sub !== 'verify')
    throw new UsageError(sub === undefined ? 'audit needs a subcommand: verify' : `unknown audit subcommand "${sub}"`);
  if (rest.length > 0) throw new UsageError(`audit verify takes no arguments, not "${rest.join(' ')}"`);
  const { report, where } = await withServerDatabase(io.env, async (db) => ({
    report: await verifyAuditChain(db),
    where: db.description,
  }));
  io.stdout.write(describeReport(report, where));
  if (!report.ok) throw new AuditChainBroken(`the audit chain is broken at seq ${report.broken.seq || '(none)'}`);
}
