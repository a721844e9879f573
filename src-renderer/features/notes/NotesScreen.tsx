import { useEffect, useMemo, useState } from 'react';
import { noteEntity } from '../../../src-shared/entities/work.entity';
import { useCan, useCrm, useRepos } from '../../app/crm-context';
import { useNavigation } from '../../app/navigation';
import type { Repositories } from '../../db/repositories';
import { listCountText } from '../../ui/count-text';
import { formatValue } from '../../ui/format';
import { otherChoices } from '../../ui/prefetch-pages';
import { type PagedListOptions, servedByIndex, usePagedList, usePrefetchedPages } from '../../ui/usePagedList';
import { RecordName } from '../../ui/useRecordName';
import { type Column, VirtualTable } from '../../ui/VirtualTable';
import { ExportButton } from '../exports';
import { SUBJECT_LABEL } from '../tasks';
import { AddNoteDialog } from './components/AddNoteDialog';
import { NoteDetail } from './components/NoteDetail';
import { type Note, type NoteType, noteHeading, noteSnippet } from './note-actions';
import './notes.css';

const when = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric' });

/** The list's filter select: '' is every type. */
export interface NoteFilters {
  noteType: NoteType | '';
}

/** The values the type select offers, "All types" first. */
const NOTE_SELECTS = { noteType: ['', ...noteEntity.fields.noteType.values] } as const;

/** What the notes list shows under its filter. */
export const noteListOptions = ({ noteType }: NoteFilters): PagedListOptions => ({
  where: noteType ? { noteType } : {},
});

/**
 * The list under each other type (and all types) that an index serves: their first pages are read
 * while idle. The type has an index (work.entity.ts), so every type is, and "All types" (servedByIndex).
 */
export const noteReadAhead = (repo: Repositories['note'], chosen: NoteFilters) =>
  servedByIndex(repo, otherChoices(chosen, NOTE_SELECTS, noteListOptions));

/** Notes, newest first, with the record each is about; the reader beside the list. */
export function NotesScreen() {
  const repos = useRepos();
  const { user } = useCrm();
  const canCreate = useCan('note', 'create');
  const route = useNavigation((s) => s.route);
  const go = useNavigation((s) => s.go);
  const selectedId = route.screen === 'notes' ? route.id : undefined;
  const [noteType, setNoteType] = useState<NoteType | ''>('');
  const [adding, setAdding] = useState(false);
  // N writes a new note, as on Tasks (not while typing or in a dialog).
  useEffect(() => {
    if (!canCreate) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.altKey || event.ctrlKey || event.metaKey || (event.key !== 'n' && event.key !== 'N')) return;
      const target = event.target as HTMLElement | null;
      if (target?.closest('input, textarea, select, dialog, [contenteditable="true"]')) return;
      event.preventDefault();
      setAdding(true);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [canCreate]);
  const { rows, total, totalCapped, loadMore, busy } = usePagedList(repos.note, noteListOptions({ noteType }));
  const readAhead = useMemo(() => noteReadAhead(repos.note, { noteType }), [repos.note, noteType]);
  usePrefetchedPages(repos.note, readAhead, !busy && rows !== undefined);
  const columns = useMemo<Column<Note>[]>(() => {
    const note: Column<Note> = {
      key: 'note',
      header: 'Note',
      width: 'minmax(0, 3fr)',
      render: (row) => (
        <span className="note-cell">
          {row.pinned && (
            <span className="note-pin" title="Pinned" role="img" aria-label="Pinned">
              ★
            </span>
          )}
          <strong>{noteHeading(row)}</strong>
          <span className="muted"> — {noteSnippet(row.body, 120)}</span>
        </span>
      ),
    };
    const about: Column<Note> = {
      key: 'about',
      header: 'About',
      width: 'minmax(0, 1.6fr)',
      render: (row) => (
        <>
          <span className="muted">{SUBJECT_LABEL[row.subjectType]} · </span>
          <RecordName entity={row.subjectType} id={row.subjectId} />
        </>
      ),
    };
    const type: Column<Note> = {
      key: 'type',
      header: 'Type',
      width: '90px',
      render: (row) => (
        <span className={`badge note-type-${row.noteType}`}>
          {formatValue(noteEntity.fields.noteType, row.noteType, {})}
        </span>
      ),
    };
    const author: Column<Note> = {
      key: 'author',
      header: 'By',
      width: 'minmax(0, 1fr)',
      render: (row) => (row.ownerId === user.id ? 'You' : <RecordName entity="user" id={row.ownerId} />),
    };
    const created: Column<Note> = {
      key: 'created',
      header: 'Written',
      width: '110px',
      render: (row) => when.format(new Date(row.createdAt)),
    };
    return selectedId ? [note, created] : [note, about, type, author, created];
  }, [selectedId, user.id]);

  return (
    <div className={selectedId ? 'list-detail open' : 'list-detail'}>
      <section className="entity-list" aria-label="Notes">
        <div className="toolbar">
          <h2>Notes</h2>
          <span className="muted count" aria-live="polite">
            {listCountText(total, totalCapped, 'note', 'notes')}
          </span>
          <select
            aria-label="Filter by type"
            value={noteType}
            onChange={(e) => setNoteType(e.target.value as NoteType | '')}
          >
            <option value="">All types</option>
            {noteEntity.fields.noteType.values.map((v) => (
              <option key={v} value={v}>
                {formatValue(noteEntity.fields.noteType, v, {})}
              </option>
            ))}
          </select>
          <span className="spacer" />
          <ExportButton
            entity="note"
            title="Notes"
            columns={[
              'title',
              'body',
              'subjectType',
              'subjectId',
              'subjectId.id',
              'noteType',
              'pinned',
              'ownerId',
              'createdAt',
            ]}
            where={noteType ? { noteType } : {}}
          />
          {canCreate && (
            <button
              type="button"
              className="primary"
              aria-keyshortcuts="N"
              title="New note (N)"
              onClick={() => setAdding(true)}
            >
              New note
            </button>
          )}
        </div>
        <VirtualTable
          label="Notes"
          rows={rows as Note[] | undefined}
          columns={columns}
          onEndReached={loadMore}
          onOpen={(row) => go({ screen: 'notes', id: row.id })}
          selectedId={selectedId}
          empty={
            <p>
              No notes yet. Notes written on contacts, companies, leads and deals appear here
              {canCreate ? ' — or write one with New note.' : '.'}
            </p>
          }
          rowHeight={44}
        />
      </section>
      {selectedId && (
        <aside className="detail-pane" aria-label="Note">
          <NoteDetail key={selectedId} id={selectedId} onClose={() => go({ screen: 'notes' })} />
        </aside>
      )}
      <AddNoteDialog
        open={adding}
        onClose={() => setAdding(false)}
        onCreated={(note) => go({ screen: 'notes', id: note.id })}
      />
    </div>
  );
}
