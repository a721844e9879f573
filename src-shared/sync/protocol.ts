import { z } from 'zod';
import { COLLECTIONS, type CollectionName } from '../schema/define-entity';

/**
 * The replication protocol between a device and the sync server, one replication per RxDB
 * collection (DESIGN.md §4). Documents travel as stored locally (camelCase base and declared
 * fields) plus RxDB's `_deleted` flag; the server owns ordering through the checkpoint.
 */

/**
 * Where a puller stands. `txid` is the Postgres transaction id (xid8, as a decimal string) that last
 * wrote the row; the server only serves rows whose transaction is below the oldest one still running,
 * so a transaction that commits late can never be skipped. `epoch` names the server database: after a
 * restore from backup it changes and devices pull afresh (rule 9).
 */
export interface SyncCheckpoint {
  epoch: string;
  txid: string;
  id: string;
}

/** A document on the wire: the stored record plus RxDB's hard-removal flag. */
export type WireDoc = Record<string, unknown> & { id: string; kind: string; _deleted: boolean };

export interface PullRequest {
  checkpoint: SyncCheckpoint | null;
  limit: number;
}

export interface PullResponse {
  documents: WireDoc[];
  checkpoint: SyncCheckpoint | null;
}

export interface PushRow {
  newDocumentState: WireDoc;
  /** The server state the device's change was based on; absent for a document new to the server. */
  assumedMasterState?: WireDoc;
}

export interface PushRequest {
  rows: PushRow[];
}

/** A write the server refuses for good (validation, permission): the device sets it aside (rule 6). */
export interface PushRejection {
  id: string;
  field?: string;
  reason: string;
}

export interface PushResponse {
  /** Current server states of documents whose assumed master state was stale. */
  conflicts: WireDoc[];
  rejected: PushRejection[];
}

/** Sent on the live stream when a collection has changes a device should pull. */
export interface StreamEvent {
  collection: CollectionName;
}

export const MAX_PULL_LIMIT = 2000;
export const MAX_PUSH_ROWS = 2000;

const checkpoint = z.object({
  epoch: z.string().max(100),
  txid: z.string().regex(/^\d{1,20}$/),
  id: z.string().max(40),
});
/** What makes a value a wire document on its own: the rest is the registry's to check, per kind. */
function wireDocProblem(value: unknown): { field?: string; message: string } | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { message: 'must be an object' };
  const doc = value as Record<string, unknown>;
  for (const field of ['id', 'kind'] as const) {
    const text = doc[field];
    if (typeof text !== 'string') return { field, message: `must be text (got ${typeof text})` };
    if (text.length < 1 || text.length > 40) return { field, message: 'must be 1 to 40 characters' };
  }
  if (typeof doc._deleted !== 'boolean') return { field: '_deleted', message: 'must be true or false' };
  return undefined;
}

/**
 * Checked in place, never copied: a push carries up to 2,000 documents twice (new and assumed
 * state), and copying each into a new object cost ~19 us and ~9 KB a row (B5).
 */
const wireDoc = z.unknown().superRefine((value, ctx) => {
  const problem = wireDocProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem.message, path: problem.field ? [problem.field] : [] });
}) as unknown as z.ZodType<WireDoc>;

export const pullRequestSchema = z.strictObject({
  checkpoint: checkpoint.nullable(),
  limit: z.number().int().min(1).max(MAX_PULL_LIMIT),
});

export const pushRequestSchema = z.strictObject({
  rows: z
    .array(z.strictObject({ newDocumentState: wireDoc, assumedMasterState: wireDoc.optional() }))
    .max(MAX_PUSH_ROWS),
});

export function isCollectionName(name: string): name is CollectionName {
  return (COLLECTIONS as readonly string[]).includes(name);
}
