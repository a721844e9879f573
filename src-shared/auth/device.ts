/**
 * The device a request comes from (issue 7, device revocation): the renderer names itself in this
 * header on every authenticated request; the server refuses a revoked device with 403 and this
 * field in the body, which the app reads as the order to wipe its local data.
 */
export const DEVICE_ID_HEADER = 'x-device-id';
export const DEVICE_REVOKED_FIELD = 'x-device-id';
/** `device-<uuid>` as device-id.ts makes them; other clients may choose their own. */
export const DEVICE_ID_PATTERN = /^[A-Za-z0-9_.:-]{1,64}$/;
