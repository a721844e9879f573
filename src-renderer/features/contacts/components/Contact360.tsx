import { getEntity } from '../../../../src-shared/entities/registry';
import { useRepos } from '../../../app/crm-context';
import { formatValue } from '../../../ui/format';
import { ConsentSection } from '../../consent';
import { ContentRecommendations } from '../../insights';
import { DataBundleButton } from '../../privacy';
import { RecordDetail, useRecord } from '../../records';
import { OpenTasks, RecordLink, RecordNotes, RecordTimeline, RelatedDeals, SocialProfiles } from '../../timeline';
import { RecordActions } from './RecordActions';

const contact = getEntity('contact');

/** The contact's essentials at a glance: role and company (a link), how to reach them, where they stand. */
function ContactSummary({ id }: { id: string }) {
  const record = useRecord(useRepos().contact, id);
  if (!record) return null;
  return (
    <div className="summary-360">
      <p className="summary-role">
        {record.jobTitle && <span>{record.jobTitle}</span>}
        {record.jobTitle && record.companyId && <span className="muted"> at </span>}
        {record.companyId && <RecordLink entity="company" id={record.companyId} />}
      </p>
      <p className="summary-badges">
        {record.lifecycleStage && (
          <span className={`badge badge-${record.lifecycleStage}`}>
            {formatValue(contact.fields.lifecycleStage, record.lifecycleStage, record)}
          </span>
        )}
        <span className={`badge badge-${record.status}`}>
          {formatValue(contact.fields.status, record.status, record)}
        </span>
        {record.doNotContact && <span className="badge badge-lost">Do not contact</span>}
        {record.convertedFromLeadId && (
          <span className="muted">
            Converted from <RecordLink entity="lead" id={record.convertedFromLeadId} />
          </span>
        )}
      </p>
      <p className="summary-reach">
        {record.email && <a href={`mailto:${record.email}`}>✉ {record.email}</a>}
        {record.phone && <a href={`tel:${record.phone}`}>☎ {record.phone}</a>}
        {record.mobile && <a href={`tel:${record.mobile}`}>✆ {record.mobile}</a>}
      </p>
    </div>
  );
}

/** A contact's "360": fields and custom fields, open tasks, deals, social profiles, notes and the timeline. */
export function Contact360({ id, onClose }: { id: string; onClose: () => void }) {
  return (
    <RecordDetail
      entity="contact"
      id={id}
      onClose={onClose}
      summary={<ContactSummary id={id} />}
      actions={<RecordActions subjectType="contact" subjectId={id} />}
      moreActions={<DataBundleButton kind="contact" id={id} />}
    >
      <div className="grid-360">
        <OpenTasks subjectId={id} />
        <RelatedDeals where={{ contactId: id }} />
        <SocialProfiles subjectType="contact" subjectId={id} />
        <RecordNotes subjectType="contact" subjectId={id} />
        <ContentRecommendations subjectType="contact" subjectId={id} className="card-360" />
      </div>
      <ConsentSection subjectType="contact" subjectId={id} />
      <RecordTimeline subjectType="contact" subjectId={id} />
    </RecordDetail>
  );
}
