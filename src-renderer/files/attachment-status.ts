export type FileWhere = 'checking' | 'local' | 'waiting-upload' | 'server' | 'awaiting-other';

/**
 * Where the file is, as the attachment says it, and what its button does. A file the server
 * still lacks ('awaiting-other': the device that attached it has not uploaded it) is fetched by
 * the file queue once it is there; the button only asks again now.
 */
export const ATTACHMENT_STATUS: Record<FileWhere, { text: string; action: string }> = {
  checking: { text: '', action: 'Save' },
  local: { text: 'On this device', action: 'Save' },
  'waiting-upload': { text: 'Waiting to upload', action: 'Save' },
  server: { text: 'On the server', action: 'Download' },
  'awaiting-other': { text: 'Waiting for the other device to upload', action: 'Check again' },
};

/** Where a file is: on this device (uploaded or not), awaited from another device, or on the server. */
export function whereIs(
  stored: { uploaded: number } | undefined,
  signedIn: boolean,
  awaitingOther: boolean,
): Exclude<FileWhere, 'checking'> {
  if (!stored) return awaitingOther ? 'awaiting-other' : 'server';
  return stored.uploaded === 0 && signedIn ? 'waiting-upload' : 'local';
}
