import { isAppUrl } from './trusted-url';

/**
 * Web permissions the renderer may use: task reminders as OS notifications, clipboard writes and
 * full screen (camera, microphone, geolocation, … are not among them).
 * Electron grants every permission by default, so without a handler any page the window ends up
 * showing could ask for the microphone; see the security checklist, item "Handle session
 * permission requests from remote content".
 */
const GRANTED_TO_APP: ReadonlySet<string> = new Set(['clipboard-sanitized-write', 'fullscreen', 'notifications']);

export function isPermissionGranted(permission: string, requestingUrl: string, appOrigins: readonly string[]): boolean {
  return GRANTED_TO_APP.has(permission) && isAppUrl(requestingUrl, appOrigins);
}
