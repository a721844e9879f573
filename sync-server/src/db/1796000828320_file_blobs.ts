import { indexNameOf } from '../../../src-shared/schema/to-postgres';
import type { Migration } from './migrate';

/**
 * The bytes of attached files (sync-server/src/files), content-addressed by their SHA-256 so a file
 * attached twice is stored once. The attachment records (communication_attachments) replicate as
 * documents and carry the hash; who may read a file is decided by those records' scope, not here.
 */
export const fileBlobsMigration: Migration = {
  id: '1796000828320_file_blobs',
  statements: () => [
    `CREATE TABLE IF NOT EXISTS file_blobs (
  sha256 text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  bytes bytea NOT NULL,
  size_bytes bigint NOT NULL CHECK (size_bytes >= 0),
  uploaded_by text NOT NULL,
  uploaded_at timestamptz NOT NULL DEFAULT now()
)`,
    `COMMENT ON TABLE file_blobs IS 'Bytes of attached files by SHA-256; readable by whoever may read an attachment record naming the hash.'`,
    // GET /files/:sha256 finds the attachment records naming a hash.
    `CREATE INDEX IF NOT EXISTS ${indexNameOf('communication_attachments', ['sha256'])} ON communication_attachments (sha256)`,
  ],
};
