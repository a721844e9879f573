import { useEffect, useState } from 'react';
import { useCrm, useRepos } from '../../../app/crm-context';
import { ATTACHMENT_STATUS, type FileWhere, whereIs } from '../../../files/attachment-status';
import { formatBytes } from '../../../files/file-store';
import { FileNotUploadedError, type FileSync } from '../../../files/file-sync';
import { useFiles } from '../../../files/useFiles';
import { errorMessage, toast } from '../../../ui/toasts';
import { useObservable } from '../../../ui/useObservable';
import type { AttachmentRecord } from '../log-communication';

/** Saves bytes under the file's name through a short-lived blob URL (no new window: the desktop shell allows none). */
function saveAs(bytes: ArrayBuffer, mimeType: string, fileName: string): void {
  const url = URL.createObjectURL(new Blob([bytes], { type: mimeType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

function AttachmentItem({ attachment, files }: { attachment: AttachmentRecord; files: FileSync }) {
  const { mode } = useCrm();
  const [where, setWhere] = useState<FileWhere>('checking');
  const [preview, setPreview] = useState<string>();
  const [busy, setBusy] = useState(false);
  const sha256 = attachment.sha256 ?? '';
  const isImage = attachment.mimeType.startsWith('image/');

  useEffect(() => {
    let live = true;
    let url: string | undefined;
    const check = () =>
      void files.store.get(sha256).then((stored) => {
        if (!live) return;
        setWhere(whereIs(stored, mode === 'signed-in', files.isAwaitingUpload(sha256)));
        if (!stored) return;
        // A preview costs a blob URL of bytes already on the device; worth it for images only.
        if (isImage && url === undefined && stored.sizeBytes <= 5 * 1024 * 1024) {
          url = URL.createObjectURL(new Blob([stored.bytes], { type: attachment.mimeType }));
          setPreview(url);
        }
      });
    check();
    // Uploaded or downloaded meanwhile (by the queue, or by opening it): read the state again.
    const subscription = files.changes$.subscribe((changed) => changed === sha256 && check());
    return () => {
      live = false;
      subscription.unsubscribe();
      if (url) URL.revokeObjectURL(url);
    };
  }, [files, sha256, isImage, attachment.mimeType, mode]);

  const open = async () => {
    setBusy(true);
    try {
      const stored = await files.open(sha256, attachment.mimeType);
      saveAs(stored.bytes, attachment.mimeType, attachment.fileName);
    } catch (error) {
      // Not an error: the file comes once the other device uploads it (the status says so).
      if (error instanceof FileNotUploadedError) return;
      toast({ tone: 'error', message: `${attachment.fileName}: ${errorMessage(error)}` });
    } finally {
      setBusy(false);
    }
  };

  return (
    <li className="comm-attachment">
      {preview ? (
        <img className="comm-thumb" src={preview} alt={`Preview of ${attachment.fileName}`} />
      ) : (
        <span className="comm-thumb comm-file-glyph" aria-hidden="true">
          {(attachment.fileName.split('.').pop() ?? '').slice(0, 4).toUpperCase() || 'FILE'}
        </span>
      )}
      <span className="comm-attachment-text">
        <strong className="comm-file-name">{attachment.fileName}</strong>
        <span className="muted">
          {formatBytes(attachment.sizeBytes)} · {ATTACHMENT_STATUS[where].text}
        </span>
      </span>
      <button type="button" onClick={() => void open()} disabled={busy || where === 'checking' || !sha256}>
        {busy ? 'Opening…' : ATTACHMENT_STATUS[where].action}
      </button>
    </li>
  );
}

/** The files attached to a communication, each saved from this device or fetched from the server. */
export function AttachmentList({ communicationId }: { communicationId: string }) {
  const repos = useRepos();
  const files = useFiles();
  const attachments = useObservable(
    () => repos.communicationAttachment.observe({ where: { communicationId } }),
    undefined as AttachmentRecord[] | undefined,
    [repos, communicationId],
  );
  return (
    <section className="section comm-attachments" aria-label="Attachments">
      <h3>Attachments{attachments && attachments.length > 0 ? ` (${attachments.length})` : ''}</h3>
      {attachments === undefined ? (
        <p className="muted">Loading…</p>
      ) : attachments.length === 0 ? (
        <p className="muted">No files attached.</p>
      ) : (
        <ul className="comm-attachment-list">
          {attachments.map((a) => (
            <AttachmentItem key={a.id} attachment={a} files={files} />
          ))}
        </ul>
      )}
    </section>
  );
}
