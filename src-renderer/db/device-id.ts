const KEY = 'fieldcrm.deviceId';

/** A stable id for this installation, named in every audit entry it writes. */
export function deviceId(storage: Pick<Storage, 'getItem' | 'setItem'> = localStorage): string {
  let id = storage.getItem(KEY);
  if (!id) {
    id = `device-${crypto.randomUUID()}`;
    storage.setItem(KEY, id);
  }
  return id;
}

/**
 * Forgets this installation's id: a wiped device (revoked, or signed out and discarded) starts over
 * as a new device, since the server keeps refusing the revoked one.
 */
export function forgetDeviceId(storage: Pick<Storage, 'removeItem'> = localStorage): void {
  storage.removeItem(KEY);
}
