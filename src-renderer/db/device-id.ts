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
