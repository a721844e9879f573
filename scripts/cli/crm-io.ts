import type { Writable } from 'node:stream';

/**
 * What a command may touch of its process: its output streams and the environment it reads
 * (DATABASE_URL, DATA_DIR, …). The process wrapper passes the real ones; tests pass their own, so
 * they run a command in-process instead of paying seconds for a new Node process each time.
 */
export interface CrmIo {
  /** A stream, not a string sink: `demo` writes megabytes and waits for 'drain'. */
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly env: NodeJS.ProcessEnv;
}

export function processIo(): CrmIo {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env };
}
