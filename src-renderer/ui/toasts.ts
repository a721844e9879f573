import { create } from 'zustand';

export interface Toast {
  id: number;
  message: string;
  tone: 'info' | 'success' | 'error';
  /** E.g. "Undo" after a delete; the toast closes once it ran. */
  action?: { label: string; run: () => void | Promise<void> };
}

interface ToastState {
  toasts: Toast[];
  show: (toast: Omit<Toast, 'id'>, ttlMs?: number) => void;
  dismiss: (id: number) => void;
}

let nextId = 1;

export const useToasts = create<ToastState>((set, get) => ({
  toasts: [],
  show: (toast, ttlMs = toast.action ? 8000 : 4000) => {
    const id = nextId++;
    set({ toasts: [...get().toasts.slice(-3), { ...toast, id }] });
    setTimeout(() => get().dismiss(id), ttlMs);
  },
  dismiss: (id) => set({ toasts: get().toasts.filter((t) => t.id !== id) }),
}));

/** Shows a toast from anywhere (event handlers, async work). */
export const toast = (t: Omit<Toast, 'id'>, ttlMs?: number) => useToasts.getState().show(t, ttlMs);

/** A failed action's message for the user: validation errors already name the field and problem. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
