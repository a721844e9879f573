import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { crmInProcess, crmProcess } from '../../support/crm-runner';

const dir = mkdtempSync(join(tmpdir(), 'crm-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const crm = (...args: string[]) => crmInProcess({}, ...args);

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

  it('as a process: exit code 2 and the reason on stderr; a reader closing the pipe early is no error', async () => {
    // `npm run crm -- demo | head -c 1000`: the demo's megabytes outlast the pipe's buffer, so the
    // CLI's next write meets a closed pipe (EPIPE).
    const closedEarly = (async () => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/crm.ts', 'demo', '--size', 'small'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      child.stdout.once('data', () => child.stdout.destroy());
      const [code] = (await once(child, 'exit')) as [number | null];
      return { code, stderr };
    })();
    const [unknown, epipe] = await Promise.all([crmProcess({}, 'frobnicate'), closedEarly]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command "frobnicate"');
    expect(unknown.stdout).toBe('');
    expect(epipe).toEqual({ code: 0, stderr: '' });
  }, 60_000);
});
