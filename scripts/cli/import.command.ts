import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { isXlsxName, parseCsvText, parseXlsx } from '../../src-renderer/features/import/read-table';
import { IMPORT_ENTITIES, isImportEntity } from '../../src-shared/import/dedupe-keys';
import { problemText } from '../../src-shared/import/error-report';
import { UsageError } from './cli-error';
import { parseCommandArgs } from './command-args';
import { type CrmIo, processIo } from './crm-io';
import { withServerDatabase } from './server-database';
import { importToServer, type ServerImportResult } from './server-import';
import { type ImportUndoResult, undoImportOnServer } from './server-import-undo';

export const importUsage = `import <entity> <file.csv|xlsx> [--as <userEmail>] [--update|--skip-duplicates] [--dry-run]
       [--ignore-unknown-columns]
import undo <batchId> [--as <userEmail>] [--force]
    Imports ${IMPORT_ENTITIES.join(', ')} into the sync server's database (DATABASE_URL, else PGlite in
    DATA_DIR) as the app does: columns matched by field, label, custom field label or a Salesforce /
    HubSpot header; duplicates (email, domain, name) updated with --update or skipped (the default).
    Each record is written whole or not at all, audited and stamped so devices pull it. Prints the
    counts and every problem by row and column; --dry-run writes nothing. Exit code 1 when any row
    failed (the valid ones are imported), 2 for a call or file it cannot use. Prints the import's batch id:
    import undo soft-deletes the records that import created and puts back the fields it changed, as the
    app's undo does; a record edited since is reported and left (exit code 1) unless --force.`;

/** Some rows were refused; the others were imported. Ends the command with exit code 1. */
export class ImportRowsFailed extends Error {
  override readonly name = 'ImportRowsFailed';
}

export function describeImport(entity: string, result: ServerImportResult, dryRun: boolean): string {
  const verb = dryRun ? 'would be ' : '';
  const lines = [
    `import ${entity} as ${result.actor.email}${dryRun ? ' (dry run: nothing written)' : ''}: ` +
      `${result.created} ${verb}created, ${result.updated} ${verb}updated, ${result.skipped} skipped, ${result.failed} with errors`,
  ];
  if (result.unmapped.length > 0) lines.push(`  columns left out: ${result.unmapped.map((h) => `"${h}"`).join(', ')}`);
  for (const s of result.skippedRows) lines.push(`  row ${s.row}: skipped, ${s.reason}`);
  if (!dryRun && result.created + result.updated > 0) {
    lines.push(`  import batch ${result.batchId} (undo: npm run crm -- import undo ${result.batchId})`);
    if (result.created > 0) lines.push(`  created records are tagged ${result.batchTag}`);
  }
  return `${lines.join('\n')}\n`;
}

export function describeUndo(batchId: string, result: ImportUndoResult): string {
  const lines = [
    `import undo ${batchId} (${result.entity}) as ${result.actor.email}: ` +
      `${result.deleted} deleted, ${result.restored} restored, ${result.left.length} left as they are`,
  ];
  for (const r of result.left) lines.push(`  ${result.entity} ${r.id} "${r.name}": ${r.reason}`);
  if (result.left.some((r) => r.reason.startsWith('edited since')))
    lines.push('  --force also removes or restores the records edited since the import');
  return `${lines.join('\n')}\n`;
}

/** Some records of the batch were left as they are (edited since, or refused). Exit code 1. */
export class ImportUndoIncomplete extends Error {
  override readonly name = 'ImportUndoIncomplete';
}

async function undoCommand(argv: readonly string[], io: CrmIo): Promise<void> {
  const args = parseCommandArgs(argv, { values: ['as'], switches: ['force'] });
  const [batchId, ...rest] = args.positional;
  if (batchId === undefined || batchId.trim() === '') throw new UsageError('import undo needs <batchId>');
  if (rest.length > 0) throw new UsageError(`unexpected argument "${rest[0]}"`);
  const asEmail = args.values.get('as');
  const result = await withServerDatabase(io.env, (db) =>
    undoImportOnServer(db, {
      batchId,
      ...(asEmail === undefined ? {} : { asEmail }),
      force: args.switches.has('force'),
    }),
  );
  io.stdout.write(describeUndo(batchId, result));
  if (result.left.length > 0) {
    throw new ImportUndoIncomplete(
      `${result.left.length} record${result.left.length === 1 ? '' : 's'} of the import left as they are (listed above)`,
    );
  }
}

export async function importCommand(argv: readonly string[], io: CrmIo = processIo()): Promise<void> {
  if (argv[0] === 'undo') return undoCommand(argv.slice(1), io);
  const args = parseCommandArgs(argv, {
    values: ['as'],
    switches: ['update', 'skip-duplicates', 'dry-run', 'ignore-unknown-columns'],
  });
  const [entity, file, ...rest] = args.positional;
  if (entity === undefined || file === undefined) throw new UsageError('import needs <entity> and <file>');
  if (rest.length > 0) throw new UsageError(`unexpected argument "${rest[0]}"`);
  if (!isImportEntity(entity))
    throw new UsageError(`unknown entity "${entity}": import takes ${IMPORT_ENTITIES.join(', ')}`);
  if (args.switches.has('update') && args.switches.has('skip-duplicates'))
    throw new UsageError('--update and --skip-duplicates exclude each other');
  const bytes = await readFile(file).catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(`cannot read ${file}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`);
  });
  const table = isXlsxName(file)
    ? await parseXlsx(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer)
    : parseCsvText(bytes.toString('utf8'));
  const dryRun = args.switches.has('dry-run');
  const asEmail = args.values.get('as');
  const result = await withServerDatabase(io.env, (db) =>
    importToServer(db, {
      entity,
      table,
      fileName: basename(file),
      ...(asEmail === undefined ? {} : { asEmail }),
      onDuplicate: args.switches.has('update') ? 'update' : 'skip',
      dryRun,
      ignoreUnknownColumns: args.switches.has('ignore-unknown-columns'),
    }),
  );
  io.stdout.write(describeImport(entity, result, dryRun));
  for (const problem of result.problems) io.stderr.write(`${problemText(problem)}\n`);
  if (result.failed > 0) throw new ImportRowsFailed(failedRowsText(result, dryRun));
}

/** Says what became of the rows without problems too: with none imported, "the others were imported" misled. */
export function failedRowsText(result: ServerImportResult, dryRun: boolean): string {
  const failed = `${result.failed} row${result.failed === 1 ? '' : 's'} not imported (problems above)`;
  const written = result.created + result.updated;
  if (written === 0) return `${failed}; ${dryRun ? 'no row would be' : 'no row was'} imported`;
  const verb = dryRun ? 'would be' : written === 1 ? 'was' : 'were';
  return `${failed}; ${written} other${written === 1 ? '' : 's'} ${verb} imported`;
}
