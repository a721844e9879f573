export {
  checkFileSize,
  type FileInput,
  FileIntegrityError,
  FileStore,
  FileTooLargeError,
  formatBytes,
  MAX_FILE_BYTES,
  type StoredFile,
  type StoredFileRef,
  sha256Hex,
} from './file-store';
export {
  backoffMs,
  FileNotUploadedError,
  type FileServer,
  FileSync,
  FileUnavailableError,
  type UploadReport,
} from './file-sync';
export { fileSyncFor, useFiles } from './useFiles';
