import { create } from 'zustand';
import { createDraftStore } from '../../ui/form-drafts.store';
import type { SubjectType } from './log-communication';

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

/** What the Log communication form holds before it is logged. */
export interface CommunicationDraft {
  type: string;
  texts: Readonly<Record<string, string>>;
  statusTouched: boolean;
  about: { type: SubjectType; id: string };
  attached: readonly File[];
}

/**
 * The communication being logged, by where the dialog was opened (a record, or the screen), kept
 * when the dialog is closed with Escape or × before it is logged (one Escape too many lost a
 * call's notes), until it is logged or cancelled.
 */
export const useCommunicationDrafts = createDraftStore<CommunicationDraft>();
