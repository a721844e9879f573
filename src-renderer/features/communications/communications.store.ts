import { create } from 'zustand';

/** The list's filters (UI state only): '' means any. */
export interface CommunicationFilters {
  type: string;
  direction: string;
  status: string;
}

interface FiltersState {
  filters: CommunicationFilters;
  setFilter: (change: Partial<CommunicationFilters>) => void;
  clear: () => void;
}

const NONE: CommunicationFilters = { type: '', direction: '', status: '' };

export const useCommunicationFilters = create<FiltersState>((set, get) => ({
  filters: NONE,
  setFilter: (change) => set({ filters: { ...get().filters, ...change } }),
  clear: () => set({ filters: NONE }),
}));

/** The filters as the repository's equality `where`. */
export function whereOf(filters: CommunicationFilters): Record<string, string> {
  return Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== ''));
}
