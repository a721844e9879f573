import { z } from 'zod';
import { storedSessionSchema } from '../../src-shared/auth/stored-session';
import { EXPORT_FORMATS } from '../../src-shared/export/export-columns';
import { exportChunkSchema, exportMetaSchema } from '../../src-shared/export/export-meta';
import type { IpcArgs, IpcChannel } from '../../src-shared/ipc/contract';
import { trustableServerOrigin } from '../security/server-origins';
import { DATABASE_NAME_PATTERN } from '../session/database-key-file';

/**
 * Runtime schema of each channel's argument tuple. The renderer is the less trusted side of the
 * boundary (a compromised page can call `window.crm` with anything), so main parses every argument
 * list before a handler sees it. Keyed by channel: a channel added to the contract without a schema
 * here fails to type-check. `z.tuple` without a rest element also refuses extra arguments.
 */
export type IpcArgSchemas = { readonly [C in IpcChannel]: z.ZodType<IpcArgs<C>> };

const exportIdSchema = z.string().min(1).max(64);
const databaseNameSchema = z.string().regex(DATABASE_NAME_PATTERN, 'must be a local database name');

export const IPC_ARG_SCHEMAS: IpcArgSchemas = {
  'crm:app.getInfo': z.tuple([]),
  'crm:session.load': z.tuple([]),
  'crm:session.save': z.tuple([storedSessionSchema]),
  'crm:session.clear': z.tuple([]),
  'crm:session.trustServer': z.tuple([
    z
      .string()
      .max(2048)
      .refine(
        (value) => trustableServerOrigin(value) !== null,
        'must be an http(s) origin without path or credentials',
      ),
  ]),
  'crm:keys.databaseKey': z.tuple([databaseNameSchema, z.boolean()]),
  'crm:keys.forgetDatabaseKey': z.tuple([databaseNameSchema, z.array(databaseNameSchema).max(1000)]),
  'crm:export.chooseFile': z.tuple([z.enum(EXPORT_FORMATS), z.string().min(1).max(200)]),
  'crm:export.begin': z.tuple([z.string().min(1).max(4096), exportMetaSchema]),
  'crm:export.append': z.tuple([exportIdSchema, exportChunkSchema]),
  'crm:export.finish': z.tuple([exportIdSchema]),
  'crm:export.cancel': z.tuple([exportIdSchema]),
};
