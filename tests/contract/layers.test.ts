import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkFile, importsOf } from './layer-rules';

const ROOT = join(import.meta.dirname, '../..');
const LAYERS = ['src-shared', 'src-renderer', 'src-main', 'sync-server'];
const SOURCE = /\.(?:[mc]?[jt]s|tsx)$/;

function sourceFiles(folder: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(join(ROOT, folder), { recursive: true, encoding: 'utf8' });
  } catch {
    return []; // A layer that does not exist yet (sync-server) has nothing to break.
  }
  return entries
    .map((entry) => `${folder}/${entry.split('\\').join('/')}`)
    .filter((file) => SOURCE.test(file) && !file.includes('/node_modules/') && !file.endsWith('.d.ts'));
}

describe('layer rules hold in the source tree', () => {
  const files = LAYERS.flatMap(sourceFiles);

  it('finds the layers it checks', () => {
    expect(files.some((file) => file.startsWith('src-shared/'))).toBe(true);
    expect(files.some((file) => file.startsWith('src-main/preload/'))).toBe(true);
  });

  it('has no import that crosses a layer boundary', () => {
    const violations = files.flatMap((file) => checkFile(file, readFileSync(join(ROOT, file), 'utf8')));
    const report = violations.map((v) => `${v.file}:${v.line} imports '${v.specifier}': ${v.rule}`);
    expect(report).toEqual([]);
  });
});

/** Synthetic files: each must be caught (or let through), so a broken checker cannot pass silently. */
const CASES: readonly [file: string, source: string, broken: boolean][] = [
  ['src-shared/a.ts', "import { z } from 'zod';", false],
  ['src-shared/a.ts', "import { faker } from '@faker-js/faker';", false],
  ['src-shared/a.ts', "import { fakerDE } from '@faker-js/faker/locale/de';", false],
  ['src-shared/a.ts', "import type { RxJsonSchema } from 'rxdb';", false],
  ['src-shared/a.ts', "export type { RxDocument } from 'rxdb';", false],
  ['src-shared/a.ts', "type S = import('rxdb').RxJsonSchema<unknown>;", false],
  ['src-shared/a/b.ts', "import { x } from '../c/d';", false],
  ['src-shared/a.ts', "import { createRxDatabase } from 'rxdb';", true],
  // With verbatimModuleSyntax an inline `type` specifier still leaves `import {} from 'rxdb'`.
  ['src-shared/a.ts', "import { type RxDocument } from 'rxdb';", true],
  ['src-shared/a.ts', "import 'rxdb/plugins/dev-mode';", true],
  ['src-shared/a.ts', "import { readFile } from 'node:fs';", true],
  ['src-shared/a.ts', "import path from 'path';", true],
  ['src-shared/a.ts', "import { app } from 'electron';", true],
  ['src-shared/a.ts', "import { useState } from 'react';", true],
  ['src-shared/a.ts', "import Dexie from 'dexie';", true],
  ['src-shared/a.ts', "import { db } from '../src-renderer/db/create-database';", true],
  ['src-shared/a.ts', "export * from '../src-main/security/csp';", true],
  ['src-shared/a.ts', "const m = await import('node:crypto');", true],
  ['src-shared/a.ts', "const fs = require('fs');", true],
  ['src-shared/ipc/contract.ts', "import { z } from 'zod';", true],
  ['src-shared/ipc/contract.ts', "import { f } from '../schema/field';", true],
  ['src-shared/ipc/crm-api.ts', "import { IPC_CHANNELS } from './contract';", false],
  ['src-renderer/main.tsx', "import { createRoot } from 'react-dom/client';", false],
  ['src-renderer/db/x.ts', "import { ENTITIES } from '../../src-shared/entities/registry';", false],
  ['src-renderer/db/x.ts', "import type { CrmApi } from '../../src-shared/ipc/crm-api';", false],
  ['src-renderer/db/x.ts', "import { ipcRenderer } from 'electron';", true],
  ['src-renderer/db/x.ts', "import type { IpcRenderer } from 'electron';", true],
  ['src-renderer/db/x.ts', "import { join } from 'node:path';", true],
  ['src-renderer/db/x.ts', "import { EventEmitter } from 'events';", true],
  ['src-renderer/app/x.tsx', "import { APP_ORIGIN } from '../../src-main/security/trusted-url';", true],
  ['src-renderer/features/deals/x.ts', "import { leads } from '../leads';", false],
  ['src-renderer/features/deals/x.ts', "import { leads } from '../leads/index';", false],
  ['src-renderer/features/deals/x.ts', "import { convert } from '../leads/convert-lead';", true],
  ['src-renderer/features/deals/x.ts', "import { row } from './components/DealRow';", false],
  ['src-main/preload/index.ts', "import { contextBridge } from 'electron';", false],
  ['src-main/preload/index.ts', "import { createCrmApi } from '../../src-shared/ipc/crm-api';", false],
  ['src-main/preload/index.ts', "import { ENTITIES } from '../../src-shared/entities/registry';", true],
  ['src-main/preload/index.ts', "import { readFile } from 'node:fs';", true],
  ['src-main/preload/index.ts', "import { z } from 'zod';", true],
  ['src-main/preload/index.ts', "import { isAppUrl } from '../security/trusted-url';", true],
  ['src-main/index.ts', "import { app } from 'electron';", false],
  ['src-main/index.ts', "import { db } from '../src-renderer/db/create-database';", true],
  ['sync-server/src/app.ts', "import { app } from 'electron';", true],
];

describe('the layer checker', () => {
  it.each(CASES)('%s: %s → violation %s', (file, source, broken) => {
    expect(checkFile(file, source).length > 0).toBe(broken);
  });

  it('reads imports spread over lines and ignores import-like text in strings and comments', () => {
    const source = [
      'import {',
      '  a,',
      '  type B,',
      "} from './a';",
      "const s = \"import x from 'electron'\"; // import y from 'node:fs'",
      "/* require('fs') */",
    ].join('\n');
    expect(importsOf('src-shared/x.ts', source)).toEqual([{ specifier: './a', typeOnly: false, line: 1 }]);
  });

  it('refuses to pass a file it cannot parse', () => {
    expect(() => checkFile('src-shared/x.ts', 'import {')).toThrow(/does not parse/);
  });
});
