import { auditCommand, auditUsage } from './cli/audit.command';
import { bootstrapAdminCommand, bootstrapAdminUsage } from './cli/bootstrap-admin.command';
import { UsageError } from './cli/cli-error';
import { demoCommand, demoUsage } from './cli/demo.command';
import { evaluateCommand, evaluateUsage } from './cli/evaluate.command';
import { exportCommand, exportUsage } from './cli/export.command';
import { gdprCommand, gdprUsage } from './cli/gdpr.command';
import { importCommand, importUsage } from './cli/import.command';
import { reportCommand, reportUsage } from './cli/report.command';
import { retentionCommand, retentionUsage } from './cli/retention.command';
import { ddlCommand, ddlUsage, entitiesCommand, entitiesUsage } from './cli/schema.command';
import { setPasswordCommand, setPasswordUsage } from './cli/set-password.command';

/** `npm run crm -- <command>`: headless and admin work. Errors go to stderr, exit code ≠ 0. */
const COMMANDS: Record<string, { run: (argv: readonly string[]) => void | Promise<void>; usage: string }> = {
  demo: { run: demoCommand, usage: demoUsage },
  entities: { run: entitiesCommand, usage: entitiesUsage },
  ddl: { run: ddlCommand, usage: ddlUsage },
  'bootstrap-admin': { run: bootstrapAdminCommand, usage: bootstrapAdminUsage },
  'set-password': { run: setPasswordCommand, usage: setPasswordUsage },
  evaluate: { run: evaluateCommand, usage: evaluateUsage },
  audit: { run: auditCommand, usage: auditUsage },
  import: { run: importCommand, usage: importUsage },
  retention: { run: retentionCommand, usage: retentionUsage },
  export: { run: exportCommand, usage: exportUsage },
  report: { run: reportCommand, usage: reportUsage },
  gdpr: { run: gdprCommand, usage: gdprUsage },
};

const usage = `Usage: npm run crm -- <command> [options]\n\n${Object.values(COMMANDS)
  .map((c) => `  ${c.usage}`)
  .join('\n\n')}\n`;

// `npm run crm -- ddl | head` closes the pipe early; that is the reader's choice, not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const [name, ...argv] = process.argv.slice(2);
if (name === undefined || name === 'help' || name === '--help') {
  process.stdout.write(usage);
  process.exit(name === undefined ? 2 : 0);
}
const command = COMMANDS[name];
try {
  if (!command) throw new UsageError(`unknown command "${name}"`);
  await command.run(argv);
} catch (error) {
  if (error instanceof UsageError) {
    process.stderr.write(`crm: ${error.message}\n\n${usage}`);
    process.exit(2);
  }
  process.stderr.write(`crm ${name}: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
