import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** The record forms and dialogs: their inputs leave a limit to the check that names it. */
const FORM_FOLDERS = [
  'src-renderer/ui',
  'src-renderer/features/tasks',
  'src-renderer/features/notes',
  'src-renderer/features/communications',
  'src-renderer/features/deals',
];

function tsxFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.tsx'))
    .map((entry) => join(entry.parentPath, entry.name));
}

describe('form inputs do not cut what is typed or pasted', () => {
  it('has no maxLength on an input of the record forms and dialogs', () => {
    // A pasted 400-character next step became 300 without a word; a 250-character task title, 200.
    // The registry names the limit on save ("must be at most 300 characters") instead.
    const cutting = FORM_FOLDERS.flatMap(tsxFiles).filter((file) => /\bmaxLength=\{/.test(readFileSync(file, 'utf8')));
    expect(cutting).toEqual([]);
  });
});
