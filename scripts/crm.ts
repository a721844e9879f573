import { runCrm } from './cli/run-crm';

/** `npm run crm -- <command>`: headless and admin work. Errors go to stderr, exit code ≠ 0. */

// `npm run crm -- ddl | head` closes the pipe early; that is the reader's choice, not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const code = await runCrm(process.argv.slice(2));
// On success the process ends by itself, as before; a failure ends it now, whatever is still open.
if (code !== 0) process.exit(code);
