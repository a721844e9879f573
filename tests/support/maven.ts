import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Papa from 'papaparse';
import type { MavenTables } from '../../src-shared/ai/maven-deal-history';

const dir = fileURLToPath(new URL('../fixtures/maven-crm/', import.meta.url));

function table(name: string): Record<string, string>[] {
  return Papa.parse<Record<string, string>>(readFileSync(`${dir}${name}.csv`, 'utf8'), {
    header: true,
    skipEmptyLines: true,
  }).data;
}

/** The Maven CRM sample's four tables, as in tests/fixtures/maven-crm (see its SOURCES.txt). */
export function readMavenTables(): MavenTables {
  return {
    pipeline: table('sales_pipeline'),
    accounts: table('accounts'),
    products: table('products'),
    teams: table('sales_teams'),
  };
}
