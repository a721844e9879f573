import { z } from 'zod';
import { storedSessionSchema } from '../../src-shared/auth/stored-session';
import type { IpcArgs, IpcChannel } from '../../src-shared/ipc/contract';

/**
 * Runtime schema of each channel's argument tuple. The renderer is the less trusted side of the
 * boundary (a compromised page can call `window.crm` with anything), so main parses every argument
 * list before a handler sees it. Keyed by channel: a channel added to the contract without a schema
 * here fails to type-check. `z.tuple` without a rest element also refuses extra arguments.
 */
export type IpcArgSchemas = { readonly [C in IpcChannel]: z.ZodType<IpcArgs<C>> };

export const IPC_ARG_SCHEMAS: IpcArgSchemas = {
  'crm:app.getInfo': z.tuple([]),
  'crm:session.load': z.tuple([]),
  'crm:session.save': z.tuple([storedSessionSchema]),
  'crm:session.clear': z.tuple([]),
};
