/**
 * The few PouchDB calls bench PEER makes. Declared here instead of installing @types/pouchdb:
 * @types/pouchdb-core declares a global `interface Buffer extends Uint8Array`, which merges with
 * Node's Buffer and breaks the typecheck of every file using Buffer.
 */
declare module 'pouchdb' {
  interface ReplicationResult {
    docs_written: number;
  }
  interface PouchDatabase {
    bulkDocs(docs: readonly object[]): Promise<unknown>;
    replicate: {
      to(target: string, options?: { batch_size?: number }): Promise<ReplicationResult>;
      from(source: string, options?: { batch_size?: number }): Promise<ReplicationResult>;
    };
    info(): Promise<{ doc_count: number }>;
    destroy(): Promise<unknown>;
  }
  interface PouchStatic {
    new (name: string, options?: { adapter?: string; prefix?: string }): PouchDatabase;
    plugin(plugin: unknown): PouchStatic;
    defaults(options: { prefix?: string }): PouchStatic;
  }
  const PouchDB: PouchStatic;
  export default PouchDB;
}

declare module 'pouchdb-adapter-memory' {
  const plugin: unknown;
  export default plugin;
}
