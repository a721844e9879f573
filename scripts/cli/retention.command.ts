import { type RunReport, runRetention } from '../../sync-server/src/retention/retention-run';
import { UsageError } from './cli-error';
import { type CrmIo, processIo } from './crm-io';
import { withServerDatabase } from './server-database';

export const retentionUsage = `retention run [--dry-run]
    Runs the retention policies (Settings → Retention) on the sync server's database now, as the
    server's schedule does: prints per policy the records it matches, how many it deleted or
    anonymised and up to five of their ids. --dry-run changes nothing and reports what a run would do.`;

export function describeRun(run: RunReport, where: string): string {
  const lines = [`retention ${run.dryRun ? 'dry run' : 'run'} ${run.id} in ${where}: ${run.policies.length} policies`];
  for (const p of run.policies) {
    const done = run.dryRun
      ? `would ${p.action}`
      : `${p.action === 'delete' ? 'deleted' : 'anonymised'} ${p.applied} of`;
    lines.push(`  ${p.name} (${p.policyId}): ${p.target} before ${p.cutoff || '?'}: ${done} ${p.matched} matched`);
    if (p.sampleIds.length > 0) lines.push(`    e.g. ${p.sampleIds.join(', ')}`);
    if (p.error) lines.push(`    FAILED: ${p.error}`);
  }
  return `${lines.join('\n')}\n`;
}

export async function retentionCommand(argv: readonly string[], io: CrmIo = processIo()): Promise<void> {
  const [sub, ...rest] = argv;
  if (sub !== 'run')
    throw new UsageError(
      sub === undefined ? 'retention needs a subcommand: run' : `unknown retention subcommand "${sub}"`,
    );
  const unknown = rest.filter((a) => a !== '--dry-run');
  if (unknown.length > 0) throw new UsageError(`retention run takes only --dry-run, not "${unknown.join(' ')}"`);
  const dryRun = rest.includes('--dry-run');
  const { run, where } = await withServerDatabase(io.env, async (db) => ({
    run: await runRetention(db, { dryRun, trigger: 'command' }),
    where: db.description,
  }));
  io.stdout.write(describeRun(run, where));
  const failed = run.policies.filter((p) => p.error);
  if (failed.length > 0)
    throw new Error(`${failed.length} retention policies failed: ${failed.map((p) => p.name).join(', ')}`);
}
