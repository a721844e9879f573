import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import { forcedOfflineStore } from './offline-gate';

/** navigator.onLine, kept current by the browser's online/offline events. */
export function useOnline(): boolean {
  const [online, setOnline] = useState(() => typeof navigator === 'undefined' || navigator.onLine);
  useEffect(() => {
    const update = () => setOnline(navigator.onLine);
    window.addEventListener('online', update);
    window.addEventListener('offline', update);
    return () => {
      window.removeEventListener('online', update);
      window.removeEventListener('offline', update);
    };
  }, []);
  return online;
}

/**
 * Whether a request to the sync server may go out now: navigator.onLine and the forced-offline
 * switch, so that screens reading server-only data (audit trail, run logs) ask nothing while either
 * says offline.
 */
export function useServerOnline(): boolean {
  const forced = useStore(forcedOfflineStore, (s) => s.forcedOffline);
  return useOnline() && !forced;
}
