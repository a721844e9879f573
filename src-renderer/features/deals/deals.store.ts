import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';

/** UI state of the Deals screen only; the deals themselves stay in the database. */
interface DealsUiState {
  /** The currency totals are shown in; undefined: the user's default currency. */
  displayCurrency?: string;
  /** '' for every owner. */
  ownerId: string;
  setDisplayCurrency: (currency: string) => void;
  setOwnerId: (ownerId: string) => void;
}

/** The display currency is a preference of this device and survives a restart; the filter does not. */
export const useDealsUi = create<DealsUiState>()(
  persist(
    (set) => ({
      ownerId: '',
      setDisplayCurrency: (displayCurrency) => set({ displayCurrency }),
      setOwnerId: (ownerId) => set({ ownerId }),
    }),
    {
      name: 'crm.deals.ui',
      storage: createJSONStorage(() => localStorage),
      partialize: (state) => ({ displayCurrency: state.displayCurrency }),
    },
  ),
);
