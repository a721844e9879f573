import type { SyncTransport } from '../../../../../src-renderer/db/sync-transport';
import type { CollectionName } from '../../../../../src-shared/schema/define-entity';
import { sameValue } from '../../../../../src-shared/sync/merge';
import type { PushRejection, SyncCheckpoint, WireDoc } from '../../../../../src-shared/sync/protocol';

/**
 * A sync server in memory for renderer unit tests: stale pushes come back as conflicts, `refuse`
 * decides rejections, pulls page by a sequence number. Not the real server (integration tests use
 * that); only enough of the protocol to drive RxDB's replication without a network.
 */
export interface MemoryServer {
  transport: SyncTransport;
  docs(collection: CollectionName): WireDoc[];
  /** Writes as another device would (a new sequence number, and a stream event). */
  write(collection: CollectionName, doc: WireDoc): void;
  refuse: (doc: WireDoc) => PushRejection | undefined;
  pushes: number;
}

export function memorySyncServer(): MemoryServer {
  let seq = 0;
  const tables = new Map<CollectionName, Map<string, { doc: WireDoc; seq: number }>>();
  const listeners = new Set<(event: { collection: CollectionName }) => void>();
  const table = (name: CollectionName) => {
    const t = tables.get(name) ?? new Map<string, { doc: WireDoc; seq: number }>();
    tables.set(name, t);
    return t;
  };
  const server: MemoryServer = {
    refuse: () => undefined,
    pushes: 0,
    docs: (name) => [...table(name).values()].map((row) => row.doc),
    write(name, doc) {
      table(name).set(doc.id, { doc: structuredClone(doc), seq: ++seq });
      for (const l of listeners) l({ collection: name });
    },
    transport: {
      async pull(name, { checkpoint, limit }) {
        const after = checkpoint ? Number(checkpoint.txid) : 0;
        const rows = [...table(name).values()].filter((r) => r.seq > after).sort((a, b) => a.seq - b.seq);
        const page = rows.slice(0, limit);
        const last = page.at(-1);
        const next: SyncCheckpoint | null = last
          ? { epoch: 'mem', txid: String(last.seq), id: last.doc.id }
          : checkpoint;
        return { documents: page.map((r) => structuredClone(r.doc)), checkpoint: next };
      },
      async push(name, { rows }) {
        server.pushes += 1;
        const conflicts: WireDoc[] = [];
        const rejected: PushRejection[] = [];
        for (const row of rows) {
          const current = table(name).get(row.newDocumentState.id)?.doc;
          if (current && !sameValue(current, row.assumedMasterState ?? null)) {
            conflicts.push(structuredClone(current));
            continue;
          }
          const refusal = server.refuse(row.newDocumentState);
          if (refusal) rejected.push(refusal);
          else table(name).set(row.newDocumentState.id, { doc: structuredClone(row.newDocumentState), seq: ++seq });
        }
        return { conflicts, rejected };
      },
      stream(onEvent) {
        listeners.add(onEvent);
        return () => listeners.delete(onEvent);
      },
    },
  };
  return server;
}
