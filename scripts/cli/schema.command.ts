import { ENTITIES } from '../../src-shared/entities/registry';
import { toPostgresScript } from '../../src-shared/schema/to-postgres';
import { parseArgs, UsageError } from './cli-error';
import { type CrmIo, processIo } from './crm-io';

export const entitiesUsage = `entities
    Lists every entity of the registry: name, collection, Postgres table, fields.`;
export const ddlUsage = `ddl
    Prints the Postgres DDL derived from the registry (tables, indexes, views).`;

export function entitiesCommand(argv: readonly string[], io: CrmIo = processIo()): void {
  const { positional } = parseArgs(argv, []);
  if (positional.length > 0) throw new UsageError(`unexpected argument "${positional[0]}"`);
  const rows = ENTITIES.map((e) => [
    e.name,
    e.collection ?? `(in records: ${e.storage})`,
    e.table,
    String(Object.keys(e.fields).length),
  ]);
  const header = ['entity', 'collection', 'table', 'fields'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  for (const row of [header, ...rows]) io.stdout.write(`${row.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ')}\n`);
}

export function ddlCommand(argv: readonly string[], io: CrmIo = processIo()): void {
  const { positional } = parseArgs(argv, []);
  if (positional.length > 0) throw new UsageError(`unexpected argument "${positional[0]}"`);
  io.stdout.write(`${toPostgresScript()}\n`);
}
