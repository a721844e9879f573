import { ENTITIES } from '../../src-shared/entities/registry';
import { EXPORT_FORMATS, ExportError, isExportFormat } from '../../src-shared/export/export-columns';
import { UsageError } from './cli-error';
import { parseCommandArgs } from './command-args';
import { type CrmIo, processIo } from './crm-io';
import { withServerDatabase } from './server-database';
import { exportFromServer } from './server-export';

export const exportUsage = `export <entity> --format csv|xlsx|pdf|json --out <file> [--where field=value ...]
       [--columns field,field,...] [--as <userEmail>]
    Writes the records of an entity on the sync server (DATABASE_URL, else PGlite in DATA_DIR) that
    the --as user (default: the oldest active admin) may read, with every --where met, to a file
    with the app's writers: typed XLSX cells, PDF tables, CSV with money as amount and currency,
    JSON rows. Columns default to the entity's fields, owner, created and custom fields. The file
    appears only when complete; the export is audited.
    auditLog exports the audit trail (newest first, as far as the --as user's role reads it); its
    --where takes GET /audit's filters: entityId, entityKind, action, actorId, from, before
    (from/before ISO dates, e.g. --where from=2026-01-01 --where action=purge).`;

/** The exportable entity a near miss means: its plural or label in any case ("contacts", "Deals"). */
function meant(name: string, exportable: readonly string[]): string | undefined {
  const wanted = name.toLowerCase().replace(/[\s_-]/g, '');
  return ENTITIES.find(
    (e) =>
      exportable.includes(e.name) &&
      [e.name, e.plural, e.label].some((n) => n.toLowerCase().replace(/[\s_-]/g, '') === wanted),
  )?.name;
}

export async function exportCommand(argv: readonly string[], io: CrmIo = processIo()): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout.write(`Usage: npm run crm -- ${exportUsage}\n`);
    return;
  }
  const args = parseCommandArgs(argv, { values: ['format', 'out', 'columns', 'as'], lists: ['where'] });
  const [entity, ...rest] = args.positional;
  if (entity === undefined) throw new UsageError('export needs an <entity>');
  if (rest.length > 0) throw new UsageError(`unexpected argument "${rest[0]}"`);
  const exportable: string[] = ENTITIES.filter((e) => e.collection !== undefined).map((e) => e.name);
  if (!exportable.includes(entity)) {
    const suggestion = meant(entity, exportable);
    throw new UsageError(
      suggestion
        ? `unknown entity "${entity}" (did you mean "${suggestion}"?)`
        : `unknown entity "${entity}": export takes ${exportable.join(', ')}`,
    );
  }
  const format = args.values.get('format');
  if (!isExportFormat(format))
    throw new UsageError(`--format must be one of ${EXPORT_FORMATS.join(', ')}${format ? `, not "${format}"` : ''}`);
  const out = args.values.get('out');
  if (out === undefined) throw new UsageError('--out <file> is required');
  const columns = args.values
    .get('columns')
    ?.split(',')
    .map((c) => c.trim())
    .filter((c) => c.length > 0);
  const asEmail = args.values.get('as');
  try {
    const result = await withServerDatabase(io.env, (db) =>
      exportFromServer(db, {
        entity,
        format,
        out,
        where: args.lists.get('where') ?? [],
        ...(columns ? { columns } : {}),
        ...(asEmail === undefined ? {} : { asEmail }),
      }),
    );
    io.stdout.write(`export ${entity} as ${result.actor.email}: ${result.rows} rows → ${result.path}\n`);
  } catch (error) {
    // A field or filter the export cannot serve is a mistake in the call: name it, exit code 2.
    // The app's column errors name `columns.<field>`; here the field came from --columns.
    if (error instanceof ExportError)
      throw new UsageError(
        error.field.startsWith('columns.')
          ? `--columns ${error.field.slice('columns.'.length)} ${error.reason}`
          : error.message,
      );
    throw error;
  }
}
