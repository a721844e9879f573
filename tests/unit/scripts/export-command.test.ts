import { describe, expect, it } from 'vitest';
import { crmInProcess } from '../../support/crm-runner';

// What `npm run crm -- export` says to someone finding their way, before any database is opened.

const crm = (...args: string[]) => crmInProcess({}, ...args);

describe('npm run crm -- export', () => {
  it('--help prints the export usage alone, exit 0', async () => {
    for (const help of ['--help', '-h']) {
      const run = await crm('export', help);
      expect([run.code, run.stderr]).toEqual([0, '']);
      expect(run.stdout).toMatch(/^Usage: npm run crm -- export <entity> --format csv\|xlsx\|pdf\|json --out <file>/);
      expect(run.stdout).not.toContain('bootstrap-admin');
    }
  });

  it('an entity given in the plural is named with the one meant', async () => {
    const run = await crm('export', 'contacts', '--format', 'csv', '--out', 'contacts.csv');
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n')[0]).toBe('crm: unknown entity "contacts" (did you mean "contact"?)');
  });
});
