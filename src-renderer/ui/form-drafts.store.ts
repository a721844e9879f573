import { create, type StoreApi, type UseBoundStore } from 'zustand';

/**
 * What a form holds before it is saved, by the place it belongs to, kept when its dialog is closed
 * with Escape or × (one Escape too many lost what was typed) until it is saved or cancelled. In
 * memory only: the database keeps records encrypted at rest, and plain localStorage would not.
 */
export interface DraftsState<T> {
  drafts: Readonly<Record<string, T>>;
  keep: (place: string, draft: T) => void;
  drop: (place: string) => void;
}

export function createDraftStore<T>(): UseBoundStore<StoreApi<DraftsState<T>>> {
  return create<DraftsState<T>>()((set) => ({
    drafts: {},
    keep: (place, draft) => set((state) => ({ drafts: { ...state.drafts, [place]: draft } })),
    drop: (place) =>
      set((state) => {
        if (!(place in state.drafts)) return state;
        const { [place]: _ended, ...rest } = state.drafts;
        return { drafts: rest };
      }),
  }));
}

/**
 * A registry form's draft: only the inputs the user changed, so that reopened over a record saved
 * since (by another device, or another screen) it changes what the user typed and nothing else.
 */
export interface RecordFormDraft {
  /** Declared fields' input texts that differ from the record's. */
  readonly texts: Readonly<Record<string, string>>;
  /** Custom fields' input texts that differ from the record's, by key. */
  readonly customTexts: Readonly<Record<string, string>>;
  /** The record's updatedAt when the draft was begun; undefined for a new record. */
  readonly base?: string;
  /** When it was last typed in (ISO). */
  readonly at: string;
}

export const useRecordFormDrafts = createDraftStore<RecordFormDraft>();

/** Where a record's Edit form keeps its draft. */
export const editDraftPlace = (entity: string, id: string): string => `${entity}:${id}`;

/** Where a New form keeps its draft: "new" and the place it was opened (e.g. its values from the parent). */
export const newDraftPlace = (entity: string, place: string): string => `${entity}:new:${place}`;

/** The entries of `texts` that differ from `from` (a missing entry counts as ''). */
export function changedTexts(
  from: Readonly<Record<string, string>>,
  texts: Readonly<Record<string, string>>,
): Record<string, string> {
  return Object.fromEntries(Object.entries(texts).filter(([name, text]) => text !== (from[name] ?? '')));
}

/**
 * The draft of a form whose inputs are `texts` and `customTexts` over a record whose inputs were
 * `initialTexts`/`initialCustomTexts`; undefined when nothing differs (the form is as it opened).
 * A draft continued keeps the base it was begun on: the record changing since stays said.
 */
export function draftOf(
  initial: { texts: Readonly<Record<string, string>>; customTexts: Readonly<Record<string, string>> },
  current: { texts: Readonly<Record<string, string>>; customTexts: Readonly<Record<string, string>> },
  base: string | undefined,
  at: Date,
): RecordFormDraft | undefined {
  const texts = changedTexts(initial.texts, current.texts);
  const customTexts = changedTexts(initial.customTexts, current.customTexts);
  if (Object.keys(texts).length === 0 && Object.keys(customTexts).length === 0) return undefined;
  return { texts, customTexts, ...(base === undefined ? {} : { base }), at: at.toISOString() };
}

/**
 * What the form says when a kept draft is reopened over a record saved since it was begun. The
 * draft is shown rather than thrown away (that would be the very loss it exists to prevent); as it
 * holds only the inputs the user changed, the record's newer values of the others are kept, and
 * Cancel discards it.
 */
export function staleDraftNotice(
  draft: RecordFormDraft | undefined,
  updatedAt: unknown,
  formatTime: (iso: string) => string,
): string | undefined {
  if (draft?.base === undefined || draft.base === updatedAt) return undefined;
  return `Your unsaved changes from ${formatTime(draft.at)} are shown; the record has changed since. Cancel discards them.`;
}
