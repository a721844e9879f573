import { create } from 'zustand';
import { DEFAULT_FILTER, type InboxFilter } from './lead-inbox.queries';

interface LeadFiltersState {
  filter: InboxFilter;
  setFilter: (patch: Partial<InboxFilter>) => void;
  clear: () => void;
}

/** The inbox's filters: UI state only, kept while the user visits other screens. */
export const useLeadFilters = create<LeadFiltersState>((set, get) => ({
  filter: DEFAULT_FILTER,
  setFilter: (patch) => set({ filter: { ...get().filter, ...patch } }),
  clear: () => set({ filter: { ...DEFAULT_FILTER, listId: get().filter.listId } }),
}));
