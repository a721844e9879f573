import { useState } from 'react';
import { useCan, useRepos } from '../../../app/crm-context';
import { type ScreenId, useNavigation } from '../../../app/navigation';
import { RecordName } from '../../../ui/useRecordName';
import { ConsentSection } from '../../consent';
import { ContentRecommendations } from '../../insights';
import { DataBundleButton } from '../../privacy';
import { RecordDetail, useRecord } from '../../records';
import type { Lead } from '../lead-inbox.queries';
import { AssignOwner } from './AssignOwner';
import { ConvertLeadDialog } from './ConvertLeadDialog';
import { LeadMembership } from './LeadMembership';
import { ScoreExplained } from './LeadScore';
import { LeadTimeline } from './LeadTimeline';

/** The fields of the lead pane and its Edit form (score factors and conversion links are shown apart). */
const FIELDS = [
  'firstName',
  'lastName',
  'email',
  'phone',
  'jobTitle',
  'companyName',
  'companyDomain',
  'industry',
  'employeeCount',
  'country',
  'status',
  'rating',
  'source',
  'sourceDetail',
  'campaign',
  'estimatedValue',
  'currency',
  'lastActivityAt',
  'lostReason',
  'tags',
  'description',
] as const;

/** Last activity moves with the timeline, not by hand. */
const EDIT_FIELDS = FIELDS.filter((f) => f !== 'lastActivityAt');

function ConvertedLinks({ lead }: { lead: Lead }) {
  const go = useNavigation((s) => s.go);
  const links: [ScreenId, string, string | undefined, string][] = [
    ['contacts', 'contact', lead.convertedContactId, 'Contact'],
    ['companies', 'company', lead.convertedCompanyId, 'Company'],
    ['deals', 'deal', lead.convertedDealId, 'Deal'],
  ];
  return (
    <p className="lead-converted">
      <span className="badge badge-converted">Converted</span>
      {links.map(([screen, entity, id, label]) =>
        id ? (
          <button key={screen} type="button" className="link-button" onClick={() => go({ screen, id })}>
            {label}: <RecordName entity={entity} id={id} />
          </button>
        ) : null,
      )}
    </p>
  );
}

/** A lead: score and why, owner, lists, fields, timeline; Convert, Edit and Delete. */
export function LeadDetail({ id, onClose }: { id: string; onClose: () => void }) {
  const repos = useRepos();
  const lead = useRecord(repos.lead, id);
  const canCreateContact = useCan('contact', 'create');
  const canUpdateLead = useCan('lead', 'update');
  const canConvert = canCreateContact && canUpdateLead;
  const [converting, setConverting] = useState(false);
  const convertible = lead && !lead.isDeleted && lead.status !== 'converted';
  return (
    <>
      <RecordDetail
        entity="lead"
        id={id}
        onClose={onClose}
        fields={FIELDS}
        editFields={EDIT_FIELDS}
        actions={
          canConvert &&
          convertible && (
            <button type="button" className="primary" onClick={() => setConverting(true)}>
              Convert
            </button>
          )
        }
        moreActions={<DataBundleButton kind="lead" id={id} />}
        summary={
          lead ? (
            <div className="lead-summary">
              <ScoreExplained score={lead.score} factors={lead.scoreFactors} scoredAt={lead.scoredAt} />
              <div className="lead-summary-side">
                <AssignOwner lead={lead} />
                {lead.status === 'converted' && <ConvertedLinks lead={lead} />}
              </div>
            </div>
          ) : undefined
        }
      >
        {lead && <LeadMembership lead={lead} />}
        {lead && !lead.isDeleted && <ConsentSection subjectType="lead" subjectId={lead.id} />}
        {lead && !lead.isDeleted && <ContentRecommendations subjectType="lead" subjectId={lead.id} />}
        {lead && <LeadTimeline lead={lead} />}
      </RecordDetail>
      {lead && convertible && <ConvertLeadDialog lead={lead} open={converting} onClose={() => setConverting(false)} />}
    </>
  );
}
