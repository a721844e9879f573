import { getEntity } from '../../../../src-shared/entities/registry';
import { useRepos } from '../../../app/crm-context';
import { formatValue } from '../../../ui/format';
import { RecordActions } from '../../contacts';
import { ChurnRiskCard } from '../../insights';
import { RecordDetail, useRecord } from '../../records';
import { RecordLink, RecordNotes, RecordTimeline, RelatedDeals, SocialProfiles } from '../../timeline';
import { CompanyContacts } from './CompanyContacts';
import { CompanyHierarchy } from './CompanyHierarchy';
import { CompanyResearch } from './CompanyResearch';

const company = getEntity('company');

/** The company's essentials: kind, industry, size and place, its website, its parent. */
function CompanySummary({ id }: { id: string }) {
  const record = useRecord(useRepos().company, id);
  if (!record) return null;
  const place = [record.city, record.country].filter(Boolean).join(', ');
  return (
    <div className="summary-360">
      <p className="summary-badges">
        <span className={`badge badge-${record.type}`}>{formatValue(company.fields.type, record.type, record)}</span>
        <span className={`badge badge-${record.status}`}>
          {formatValue(company.fields.status, record.status, record)}
        </span>
        {record.industry && <span>{record.industry}</span>}
        {record.employeeCount !== undefined && (
          <span className="muted">· {record.employeeCount.toLocaleString()} employees</span>
        )}
        {place && <span className="muted">· {place}</span>}
      </p>
      <p className="summary-reach">
        {record.website && (
          <a href={record.website} target="_blank" rel="noreferrer noopener">
            ↗ {record.domain ?? record.website}
          </a>
        )}
        {record.phone && <a href={`tel:${record.phone}`}>☎ {record.phone}</a>}
        {record.parentCompanyId && (
          <span>
            <span className="muted">Part of </span>
            <RecordLink entity="company" id={record.parentCompanyId} />
          </span>
        )}
      </p>
    </div>
  );
}

/** A company's "360": fields, hierarchy, people, deals with totals, social profiles, research, notes, timeline. */
export function Company360({ id, onClose }: { id: string; onClose: () => void }) {
  const record = useRecord(useRepos().company, id);
  return (
    <RecordDetail
      entity="company"
      id={id}
      onClose={onClose}
      summary={<CompanySummary id={id} />}
      actions={<RecordActions subjectType="company" subjectId={id} />}
    >
      <div className="grid-360">
        {record?.type === 'customer' && <ChurnRiskCard companyId={id} className="card-360" />}
        <CompanyHierarchy id={id} name={record?.name ?? ''} />
        <CompanyContacts companyId={id} />
        <RelatedDeals where={{ companyId: id }} />
        <SocialProfiles subjectType="company" subjectId={id} />
        <RecordNotes subjectType="company" subjectId={id} />
      </div>
      <CompanyResearch companyId={id} />
      <RecordTimeline subjectType="company" subjectId={id} />
    </RecordDetail>
  );
}
