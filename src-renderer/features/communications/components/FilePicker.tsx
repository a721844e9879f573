import { type DragEvent, useId, useRef, useState } from 'react';
import { checkFileSize, FileTooLargeError, formatBytes } from '../../../files/file-store';

interface FilePickerProps {
  files: readonly File[];
  onAdd: (files: FileList) => void;
  onRemove: (index: number) => void;
  /** Why files were refused, or a problem from saving. */
  problem?: string;
}

/** Splits picked or dropped files into those that may be attached and the refusals, each naming its file. */
export function acceptFiles(list: FileList | readonly File[]): { accepted: File[]; refused: string[] } {
  const accepted: File[] = [];
  const refused: string[] = [];
  for (const file of Array.from(list)) {
    try {
      checkFileSize(file);
      accepted.push(file);
    } catch (error) {
      if (!(error instanceof FileTooLargeError)) throw error;
      refused.push(error.message);
    }
  }
  return { accepted, refused };
}

/** Files to attach: a button, or drop them anywhere on the dialog (see useFileDrop). */
export function FilePicker({ files, onAdd, onRemove, problem }: FilePickerProps) {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  return (
    <div className="form-row wide comm-files">
      <span className="comm-files-label" id={`${id}-label`}>
        Attachments
      </span>
      <div className="comm-drop">
        <input
          ref={input}
          id={id}
          type="file"
          multiple
          className="sr-only"
          aria-labelledby={`${id}-label`}
          onChange={(e) => {
            if (e.target.files) onAdd(e.target.files);
            e.target.value = '';
          }}
        />
        <button type="button" onClick={() => input.current?.click()}>
          Attach files…
        </button>
        <span className="muted">or drop them here · up to 25 MB each</span>
      </div>
      {files.length > 0 && (
        <ul className="comm-file-list" aria-label="Files to attach">
          {files.map((file, index) => (
            <li key={fileKey(file)}>
              <span className="comm-file-icon" aria-hidden="true">
                {file.type.startsWith('image/') ? '▨' : '▤'}
              </span>
              <span className="comm-file-name">{file.name}</span>
              <span className="muted">{formatBytes(file.size)}</span>
              <button
                type="button"
                className="icon-button"
                aria-label={`Remove ${file.name}`}
                onClick={() => onRemove(index)}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      {problem && (
        <span className="field-problem" role="alert">
          {problem}
        </span>
      )}
    </div>
  );
}

/** Drag-and-drop of files onto an element: handlers to spread on it, and whether files are over it. */
export function useFileDrop(onFiles: (files: FileList) => void) {
  const [over, setOver] = useState(false);
  const hasFiles = (e: DragEvent) => Array.from(e.dataTransfer.types).includes('Files');
  return {
    over,
    handlers: {
      onDragOver: (e: DragEvent) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
        setOver(true);
      },
      onDragLeave: (e: DragEvent) => {
        if (e.currentTarget === e.target) setOver(false);
      },
      onDrop: (e: DragEvent) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        setOver(false);
        onFiles(e.dataTransfer.files);
      },
    },
  };
}

/** The same file picked twice is attached once. */
export const fileKey = (file: File) => `${file.name}|${file.size}|${file.lastModified}`;
