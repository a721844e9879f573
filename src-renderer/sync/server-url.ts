/** The sync server's own default address (sync-server/src/config.ts: 127.0.0.1, PORT 3300). */
export const LOCAL_SERVER_URL = 'http://127.0.0.1:3300';

/** The server offered when the device knows none yet: the build's (VITE_SYNC_URL), else the local default. */
export const DEFAULT_SERVER_URL: string = import.meta.env.VITE_SYNC_URL || LOCAL_SERVER_URL;
