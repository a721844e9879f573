import { useState } from 'react';
import { useCan } from '../../../app/crm-context';
import { LogCommunicationDialog } from '../../communications';
import { AddTaskDialog } from '../../tasks';

/** "Log call" and "Add task" on a contact or company's 360, each about that record. */
export function RecordActions({ subjectType, subjectId }: { subjectType: 'contact' | 'company'; subjectId: string }) {
  const canLog = useCan('communication', 'create');
  const canTask = useCan('task', 'create');
  const [dialog, setDialog] = useState<'log' | 'task' | undefined>();
  return (
    <>
      {canLog && (
        <button type="button" onClick={() => setDialog('log')}>
          Log call
        </button>
      )}
      {canTask && (
        <button type="button" onClick={() => setDialog('task')}>
          Add task
        </button>
      )}
      <LogCommunicationDialog
        subjectType={subjectType}
        subjectId={subjectId}
        open={dialog === 'log'}
        onClose={() => setDialog(undefined)}
      />
      <AddTaskDialog
        subjectType={subjectType}
        subjectId={subjectId}
        open={dialog === 'task'}
        onClose={() => setDialog(undefined)}
      />
    </>
  );
}
