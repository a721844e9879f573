import { auditCommand, auditUsage } from './audit.command';
import { bootstrapAdminCommand, bootstrapAdminUsage } from './bootstrap-admin.command';
import { UsageError } from './cli-error';
import { type CrmIo, processIo } from './crm-io';
import { demoCommand, demoUsage } from './demo.command';
import { evaluateCommand, evaluateUsage } from './evaluate.command';
import { exportCommand, exportUsage } from './export.command';
import { gdprCommand, gdprUsage } from './gdpr.command';
import { importCommand, importUsage } from './import.command';
import { reportCommand, reportUsage } from './report.command';
import { retentionCommand, retentionUsage } from './retention.command';
import { ddlCommand, ddlUsage, entitiesCommand, entitiesUsage } from './schema.command';
import { setPasswordCommand, setPasswordUsage } from './set-password.command';

interface Command {
  run: (argv: readonly string[], io: CrmIo) => void | Promise<void>;
  usage: string;
}

const COMMANDS: Record<string, Command> = {
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

/**
 * `npm run crm -- <argv>` without the process: runs the command and resolves to its exit code
 * (0 done, 1 failed, 2 called wrongly, printed with the usage); errors go to `io.stderr`.
 */
export async function runCrm(argv: readonly string[], io: CrmIo = processIo()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help') {
    io.stdout.write(usage);
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  try {
    if (!command) throw new UsageError(`unknown command "${name}"`);
    await command.run(rest, io);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`crm: ${error.message}\n\n${usage}`);
      return 2;
    }
    io.stderr.write(`crm ${name}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
