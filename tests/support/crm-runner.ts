import { execFile } from 'node:child_process';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import { createPgliteDatabase } from '../../sync-server/src/db/database';
import { createMigratedPglite } from './migrated-databases';

/**
 * `npm run crm -- …` for tests, two ways. A new process costs seconds (tsx transform, every
 * command's imports, under CI load 7 s and more), so most cases call the runner in-process with
 * the same argv and environment and compare the same stdout, stderr and exit code; each test file
 * keeps one real process for what only a process shows (the exit code, the EPIPE handler).
 */

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Variables layered over this process's environment; `undefined` removes one. */
export type CliEnv = Record<string, string | undefined>;

const run = promisify(execFile);

/** scripts/crm.ts as a separate Node process, as a user runs it. */
export async function crmProcess(env: CliEnv, ...args: string[]): Promise<CliRun> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'scripts/crm.ts', ...args], {
      env: { ...process.env, ...env },
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

function collector(): { stream: Writable; text: () => string } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk);
      callback();
    },
  });
  // Decoded once at the end, as execFile does, so a character split across writes stays whole.
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

/** The same command through scripts/cli/run-crm.ts in this process. */
export async function crmInProcess(env: CliEnv, ...args: string[]): Promise<CliRun> {
  // Loaded on first use: files that only spawn the CLI need not load every command.
  const { runCrm } = await import('../../scripts/cli/run-crm');
  const stdout = collector();
  const stderr = collector();
  const code = await runCrm(args, { stdout: stdout.stream, stderr: stderr.stream, env: { ...process.env, ...env } });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

/**
 * Fills the empty folder `dir` with a migrated PGlite cluster, as the CLI leaves DATA_DIR after its
 * first run, from the unit group's migrated dump: the CLI's own initdb would cost 5–10 s.
 */
export async function migratedPgliteFolder(dir: string): Promise<void> {
  const migrated = await createMigratedPglite();
  const dump = await migrated.dump();
  await migrated.close();
  const db = await createPgliteDatabase(dir, { loadDataDir: dump });
  await db.close();
}
