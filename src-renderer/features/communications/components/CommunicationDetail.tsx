import { useRepos } from '../../../app/crm-context';
import { useNavigation } from '../../../app/navigation';
import { RecordDetail, useRecord } from '../../records';
import { SCREEN_OF, subjectTypeField, typeField, words } from '../communication-labels';
import { AttachmentList } from './AttachmentList';
import { SubjectName } from './SubjectName';

const SHOWN = [
  'type',
  'direction',
  'status',
  'occurredAt',
  'durationMinutes',
  'outcome',
  'sentiment',
  'subject',
  'fromAddress',
  'toAddresses',
  'body',
] as const;

/** One communication: what happened, with whom, and the files attached. */
export function CommunicationDetail({ id, onClose }: { id: string; onClose: () => void }) {
  const repos = useRepos();
  const open = useNavigation((s) => s.open);
  const record = useRecord(repos.communication, id);
  return (
    <RecordDetail
      entity="communication"
      id={id}
      onClose={onClose}
      fields={SHOWN}
      title={record ? record.subject || `${words(typeField, record.type)} (no subject)` : undefined}
    >
      {record && (
        <section className="section comm-about-section" aria-label="About">
          <h3>About</h3>
          <p>
            <span className="badge">{words(subjectTypeField, record.subjectType)}</span>{' '}
            <button
              type="button"
              className="link-button"
              onClick={() => open(SCREEN_OF[record.subjectType], record.subjectId)}
            >
              <SubjectName entity={record.subjectType} id={record.subjectId} />
            </button>
            {record.subjectType !== 'company' && record.companyId && (
              <span className="muted">
                {' '}
                at <SubjectName entity="company" id={record.companyId} />
              </span>
            )}
          </p>
        </section>
      )}
      <AttachmentList communicationId={id} />
    </RecordDetail>
  );
}
