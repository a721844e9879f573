import type { ReactNode } from 'react';
import { type ScreenId, useNavigation } from '../../../app/navigation';
import { useRecordName } from '../../../ui/useRecordName';
import '../timeline.css';

/** The screen that shows each kind of record. */
export const SCREEN_OF: Readonly<Record<string, ScreenId>> = {
  contact: 'contacts',
  company: 'companies',
  lead: 'leads',
  deal: 'deals',
  task: 'tasks',
  note: 'notes',
  communication: 'communications',
  content: 'content',
};

/** A referenced record by name, as a link that opens it on its screen. */
export function RecordLink({ entity, id, children }: { entity: string; id: string; children?: ReactNode }) {
  const name = useRecordName(entity, id);
  const open = useNavigation((s) => s.open);
  const screen = SCREEN_OF[entity];
  if (!screen) return <>{children ?? name}</>;
  return (
    <a
      className="record-link"
      href={`#/${screen}/${encodeURIComponent(id)}`}
      onClick={(event) => {
        event.preventDefault();
        open(screen, id);
      }}
    >
      {children ?? (name || '…')}
    </a>
  );
}
