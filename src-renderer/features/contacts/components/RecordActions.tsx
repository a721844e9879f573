import { Suspense, useState } from 'react';
import { useCan } from '../../../app/crm-context';
import { lazyComponent } from '../../../ui/on-demand';

/*
 * The two dialogs are chunks fetched on first use: this component sits in the Contacts screen's
 * module graph (the main bundle), and the dialogs bring the tasks and communications features with them.
 */
const { Component: LogCommunicationDialog } = lazyComponent(() =>
  import('../../communications').then((m) => m.LogCommunicationDialog),
);
const { Component: AddTaskDialog } = lazyComponent(() => import('../../tasks').then((m) => m.AddTaskDialog));

type Which = 'log' | 'task';

/** "Log call" and "Add task" on a contact or company's 360, each about that record. */
export function RecordActions({ subjectType, subjectId }: { subjectType: 'contact' | 'company'; subjectId: string }) {
  const canLog = useCan('communication', 'create');
  const canTask = useCan('task', 'create');
  const [dialog, setDialog] = useState<Which | undefined>();
  // A dialog once opened stays mounted, as both always were before they were loaded on demand.
  const [used, setUsed] = useState<ReadonlySet<Which>>(new Set());
  const open = (which: Which) => {
    setUsed((s) => new Set(s).add(which));
    setDialog(which);
  };
  return (
    <>
      {canLog && (
        <button type="button" onClick={() => open('log')}>
          Log call
        </button>
      )}
      {canTask && (
        <button type="button" onClick={() => open('task')}>
          Add task
        </button>
      )}
      <Suspense fallback={null}>
        {used.has('log') && (
          <LogCommunicationDialog
            subjectType={subjectType}
            subjectId={subjectId}
            open={dialog === 'log'}
            onClose={() => setDialog(undefined)}
          />
        )}
        {used.has('task') && (
          <AddTaskDialog
            subjectType={subjectType}
            subjectId={subjectId}
            open={dialog === 'task'}
            onClose={() => setDialog(undefined)}
          />
        )}
      </Suspense>
    </>
  );
}
