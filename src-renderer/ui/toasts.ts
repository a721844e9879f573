import { create } from 'zustand';

export interface Toast {
  id: number;
  message: string;
  tone: 'info' | 'success' | 'error';
  /** E.g. "Undo" after a delete; the toast closes once it ran. */
  action?: { label: string; run: () => void | Promise<void> };
}

/**
 * At most this many on screen: a fourth covered the deal pane's stage history (issue 4). The
 * oldest goes first to make room for a new one.
 */
export const MAX_TOASTS = 3;

/**
 * An error stays on screen at least this long whatever comes after it: a burst of info toasts
 * (a batch of saves) must not push it out before it can be read. A toast that finds only such
 * errors on screen waits for a place, and its time starts when it is shown.
 */
export const ERROR_MIN_MS = 3000;

interface Shown extends Toast {
  /** Date.now() when it was put on screen. */
  shownAt: number;
}

interface Waiting {
  toast: Toast;
  ttlMs: number;
}

interface ToastState {
  toasts: Shown[];
  /** Toasts waiting for a place, oldest first. */
  waiting: Waiting[];
  show: (toast: Omit<Toast, 'id'>, ttlMs?: number) => void;
  dismiss: (id: number) => void;
}

let nextId = 1;

const defaultTtl = (toast: Omit<Toast, 'id'>): number => (toast.action ? 8000 : 4000);

/** Whether a new toast may take this one's place now. */
const mayGo = (toast: Shown, now: number): boolean => toast.tone !== 'error' || now - toast.shownAt >= ERROR_MIN_MS;

export const useToasts = create<ToastState>((set, get) => {
  /** Puts the waiting toasts on screen while there is room, or a toast that may go to make some. */
  const place = () => {
    const now = Date.now();
    let { toasts, waiting } = get();
    while (waiting.length > 0) {
      if (toasts.length >= MAX_TOASTS) {
        const out = toasts.find((t) => mayGo(t, now));
        if (!out) break;
        toasts = toasts.filter((t) => t !== out);
      }
      const [next, ...rest] = waiting as [Waiting, ...Waiting[]];
      waiting = rest;
      toasts = [...toasts, { ...next.toast, shownAt: now }];
      const id = next.toast.id;
      setTimeout(() => get().dismiss(id), next.ttlMs);
      // An error just shown may make room for the ones still waiting once its minimum is over.
      if (next.toast.tone === 'error') setTimeout(place, ERROR_MIN_MS);
    }
    set({ toasts, waiting });
  };
  return {
    toasts: [],
    waiting: [],
    show: (toast, ttlMs = defaultTtl(toast)) => {
      set({ waiting: [...get().waiting, { toast: { ...toast, id: nextId++ }, ttlMs }] });
      place();
    },
    dismiss: (id) => {
      set({ toasts: get().toasts.filter((t) => t.id !== id), waiting: get().waiting.filter((w) => w.toast.id !== id) });
      place();
    },
  };
});

/** Shows a toast from anywhere (event handlers, async work). */
export const toast = (t: Omit<Toast, 'id'>, ttlMs?: number) => useToasts.getState().show(t, ttlMs);

/** A failed action's message for the user: validation errors already name the field and problem. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
