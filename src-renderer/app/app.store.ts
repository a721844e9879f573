import { create } from 'zustand';
import type { DocumentEntityName } from '../../src-shared/entities/registry';

/** UI state only; record data comes from RxDB queries. */
interface AppState {
  selected: DocumentEntityName;
  select: (entity: DocumentEntityName) => void;
}

export const useAppStore = create<AppState>((set) => ({
  selected: 'contact',
  select: (selected) => set({ selected }),
}));
