import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'crm-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function crm(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'scripts/crm.ts', ...args], {
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('npm run crm', () => {
  it('writes the demo data set as JSON lines, byte for byte the same each run', async () => {
    const [a, b] = [join(dir, 'a.jsonl'), join(dir, 'b.jsonl')];
    const first = await crm('demo', '--size', 'small', '--out', a);
    await crm('demo', '--size=small', '--out', b);
    expect(first.code).toBe(0);
    expect(first.stderr).toMatch(/demo small: 13,152 records of 29 entities/);
    expect(sha(a)).toBe(sha(b));
    const lines = readFileSync(a, 'utf8').trim().split('\n');
    const firstLine = JSON.parse(lines[0] as string) as { entity: string; record: { id: string } };
    expect(firstLine.entity).toBe('userRole');
    expect(firstLine.record.id).toBeTruthy();
  }, 60_000);

  it.each([
    [['demo', '--size', 'large'], '--size must be one of small, 100k, not "large"'],
    [['demo', '--seed', 'abc'], '--seed must be a whole number'],
    [['demo', '--colour', 'red'], 'unknown option --colour'],
    [['demo', '--size'], '--size needs a value'],
    [['frobnicate'], 'unknown command "frobnicate"'],
  ])(
    '%j fails with exit code 2 and says why on stderr',
    async (args, message) => {
      const result = await crm(...args);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(message);
      expect(result.stdout).toBe('');
    },
    30_000,
  );

  it('prints the registry and its Postgres DDL', async () => {
    const entities = await crm('entities');
    expect(entities.stdout).toMatch(/^contact\s+contacts\s+contacts\s+\d+/m);
    const ddl = await crm('ddl');
    expect(ddl.stdout).toContain('CREATE TABLE IF NOT EXISTS "contacts"');
    expect(ddl.stdout).toContain('custom_field_values');
  }, 30_000);
});
