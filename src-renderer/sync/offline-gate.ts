import { BehaviorSubject, filter, firstValueFrom, Observable } from 'rxjs';
import { createJSONStorage, persist } from 'zustand/middleware';
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { SyncTransport } from '../db/sync-transport';

/**
 * The forced-offline switch as the replication sees it: while it is closed, no request leaves the
 * device. Requests wait at the gate rather than fail, so RxDB neither logs an error nor backs off
 * every few seconds, and everything queued goes out the moment the switch is turned back.
 */
export interface OfflineGate {
  readonly offline$: Observable<boolean>;
  isOffline(): boolean;
  setOffline(offline: boolean): void;
}

/** The reason a request held at a closed gate gives up: the replication was stopped meanwhile. */
export class GateClosedError extends Error {
  override readonly name = 'GateClosedError';
}

const KEY = 'fieldcrm.forcedOffline';

type FlagStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

function browserStorage(): FlagStorage | undefined {
  return typeof localStorage === 'undefined' ? undefined : localStorage;
}

/** A gate whose state survives a reload (the user's choice holds until they change it). */
export function createOfflineGate(storage: FlagStorage | undefined = browserStorage()): OfflineGate {
  const offline$ = new BehaviorSubject<boolean>(storage?.getItem(KEY) === '1');
  return {
    offline$: offline$.asObservable(),
    isOffline: () => offline$.value,
    setOffline(offline) {
      if (offline) storage?.setItem(KEY, '1');
      else storage?.removeItem(KEY);
      if (offline !== offline$.value) offline$.next(offline);
    },
  };
}

export interface ForcedOfflineState {
  forcedOffline: boolean;
  setForcedOffline: (forcedOffline: boolean) => void;
}

const memoryFallback: FlagStorage = (() => {
  const m = new Map<string, string>();
  return {
    getItem: (k) => m.get(k) ?? null,
    setItem: (k, v) => void m.set(k, v),
    removeItem: (k) => void m.delete(k),
  };
})();

/** The switch as UI state (zustand), kept in localStorage so the user's choice survives a reload. */
export const forcedOfflineStore: StoreApi<ForcedOfflineState> = createStore<ForcedOfflineState>()(
  persist((set) => ({ forcedOffline: false, setForcedOffline: (forcedOffline) => set({ forcedOffline }) }), {
    name: KEY,
    storage: createJSONStorage(() => browserStorage() ?? memoryFallback),
    partialize: (s) => ({ forcedOffline: s.forcedOffline }),
  }),
);

/** A gate that follows a zustand store of the switch. */
export function storeGate(store: StoreApi<ForcedOfflineState>): OfflineGate {
  return {
    offline$: new Observable<boolean>((subscriber) => {
      subscriber.next(store.getState().forcedOffline);
      return store.subscribe((s, prev) => {
        if (s.forcedOffline !== prev.forcedOffline) subscriber.next(s.forcedOffline);
      });
    }),
    isOffline: () => store.getState().forcedOffline,
    setOffline: (offline) => store.getState().setForcedOffline(offline),
  };
}

let appGate: OfflineGate | undefined;

/** The page's one switch, shared by the replication and the UI (forcedOfflineStore). */
export function appOfflineGate(): OfflineGate {
  appGate ??= storeGate(forcedOfflineStore);
  return appGate;
}

/**
 * The transport behind the switch: pull and push wait while it is off (until it is on again or
 * `close()` is called), and the live stream is closed while off and opened again after, with an
 * error so the replication reconnects and pulls what it missed.
 */
export function gatedTransport(inner: SyncTransport, gate: OfflineGate): SyncTransport & { close(): void } {
  const closed$ = new BehaviorSubject(false);
  const open = async () => {
    if (!gate.isOffline()) return;
    await Promise.race([
      firstValueFrom(gate.offline$.pipe(filter((offline) => !offline))),
      firstValueFrom(closed$.pipe(filter(Boolean))),
    ]);
    if (closed$.value) throw new GateClosedError('the replication stopped while offline');
  };
  return {
    async pull(collection, request) {
      await open();
      return inner.pull(collection, request);
    },
    async push(collection, request) {
      await open();
      return inner.push(collection, request);
    },
    stream(onEvent, onError) {
      let closeInner: (() => void) | undefined;
      let ended = false;
      const fail = (error: unknown) => {
        if (ended) return;
        ended = true;
        subscription.unsubscribe();
        closeInner?.();
        onError(error);
      };
      const subscription = gate.offline$.subscribe((offline) => {
        if (offline && closeInner) fail(new Error('forced offline'));
      });
      void open().then(
        () => {
          if (!ended) closeInner = inner.stream(onEvent, fail);
        },
        () => undefined,
      );
      return () => {
        ended = true;
        subscription.unsubscribe();
        closeInner?.();
      };
    },
    close: () => closed$.next(true),
  };
}
