import { type FormEvent, useEffect, useId, useState } from 'react';
import type { FieldSpec } from '../../../../src-shared/schema/field';
import { useRepos } from '../../../app/crm-context';
import { useNavigation } from '../../../app/navigation';
import { Dialog } from '../../../ui/Dialog';
import { FieldInput } from '../../../ui/FieldInput';
import { toast } from '../../../ui/toasts';
import { RecordName } from '../../../ui/useRecordName';
import {
  conversionProblems,
  DEAL_FIELDS,
  type DealForm,
  type DealProblems,
  type DealTexts,
  dealFieldSpec,
  defaultDealTexts,
  openedDealForm,
  parseDealTexts,
  plannedDealForm,
  typedDealText,
} from '../convert-form';
import { type ConversionPlan, convertLead, planConversion } from '../convert-lead';
import type { Lead } from '../lead-inbox.queries';

/** The picker of an existing company (the first 500 by name, and the chosen one). */
const COMPANY_PICK: FieldSpec = { type: 'ref', ref: 'company', label: 'Company' };

function CompanyCard({ plan, companyId }: { plan: ConversionPlan | undefined; companyId: string }) {
  if (companyId)
    return (
      <>
        <p className="eyebrow">Existing company (chosen)</p>
        <strong>
          <RecordName entity="company" id={companyId} />
        </strong>
      </>
    );
  if (plan === undefined) return <p className="muted">Looking for the company…</p>;
  if (plan.company)
    return (
      <>
        <p className="eyebrow">Existing company</p>
        <strong>{plan.company.name}</strong>
        <span className="muted">
          Matched by {plan.domain && plan.company.domain === plan.domain ? `domain ${plan.domain}` : 'name'}
        </span>
      </>
    );
  if (plan.newCompanyName)
    return (
      <>
        <p className="eyebrow">New company</p>
        <strong>{plan.newCompanyName}</strong>
        <span className="muted">{plan.domain ?? 'No domain'} · no existing company matched</span>
      </>
    );
  return (
    <>
      <p className="eyebrow">Company</p>
      <span className="muted">None: the lead names no company and its email domain is personal.</span>
    </>
  );
}

interface DealFieldsProps {
  formId: string;
  texts: DealTexts;
  problems: DealProblems;
  onText: (field: keyof DealTexts, text: string) => void;
}

function DealFields({ formId, texts, problems, onText }: DealFieldsProps) {
  return (
    <div className="form-grid">
      {DEAL_FIELDS.map((field) => {
        const inputId = `${formId}-${field}`;
        const problem = problems[field];
        const spec = dealFieldSpec(field);
        const label = spec.label ?? field;
        return (
          <div key={field} className={`form-row${field === 'name' ? ' wide' : ''}`}>
            <label htmlFor={inputId}>Deal {label.toLowerCase()}</label>
            <FieldInput
              id={inputId}
              field={spec}
              text={texts[field]}
              onText={(t) => onText(field, t)}
              invalid={problem !== undefined}
              describedBy={problem ? `${inputId}-problem` : undefined}
            />
            {problem && (
              <span id={`${inputId}-problem`} className="field-problem" role="alert">
                {label} {problem}
              </span>
            )}
          </div>
        );
      })}
    </div>
  );
}

interface ConvertLeadDialogProps {
  lead: Lead;
  open: boolean;
  onClose: () => void;
}

/**
 * One dialog for the whole conversion: it shows the contact and the company (matched, new, or
 * one the user picks) that will be made, takes the optional deal's details, and converts all or
 * nothing (convertLead). Everything is local, so it works the same with the network unplugged.
 */
export function ConvertLeadDialog({ lead, open, onClose }: ConvertLeadDialogProps) {
  const repos = useRepos();
  const go = useNavigation((s) => s.go);
  const formId = useId();
  const [plan, setPlan] = useState<ConversionPlan>();
  const [withDeal, setWithDeal] = useState(true);
  /** Another existing company the user picked instead of the matched or new one ('' = as planned). */
  const [companyId, setCompanyId] = useState('');
  const [form, setForm] = useState<DealForm>(() => openedDealForm(defaultDealTexts(lead, undefined, new Date())));
  const { texts } = form;
  const [problems, setProblems] = useState<DealProblems>({});
  const [formError, setFormError] = useState<string>();
  const [saving, setSaving] = useState(false);

  // biome-ignore lint/correctness/useExhaustiveDependencies: planned once per opening, not on every change of the lead.
  useEffect(() => {
    if (!open) return;
    let live = true;
    setProblems({});
    setFormError(undefined);
    setCompanyId('');
    setForm(openedDealForm(defaultDealTexts(lead, undefined, new Date())));
    void planConversion(repos, lead).then((found) => {
      if (!live) return;
      setPlan(found);
      setForm((current) => plannedDealForm(current, defaultDealTexts(lead, found, new Date())));
    });
    return () => {
      live = false;
    };
  }, [open, repos, lead.id]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const parsed = withDeal ? parseDealTexts(texts) : { problems: {} };
    setProblems(parsed.problems);
    setFormError(undefined);
    if (Object.keys(parsed.problems).length > 0) return;
    setSaving(true);
    try {
      const result = await convertLead(repos, lead.id, {
        ...(companyId ? { companyId } : {}),
        ...('deal' in parsed && parsed.deal ? { deal: parsed.deal } : {}),
      });
      const made = ['contact', result.companyCreated ? 'company' : undefined, result.deal ? 'deal' : undefined];
      toast({ tone: 'success', message: `Lead converted: ${made.filter(Boolean).join(', ')} created.` });
      onClose();
      go(result.deal ? { screen: 'deals', id: result.deal.id } : { screen: 'contacts', id: result.contact.id });
    } catch (error) {
      const { byField, formError: message } = conversionProblems(error);
      setProblems(byField);
      setFormError(message);
    } finally {
      setSaving(false);
    }
  };

  const name = [lead.firstName, lead.lastName].filter(Boolean).join(' ');
  return (
    <Dialog title={`Convert ${name}`} open={open} onClose={onClose} wide>
      <form onSubmit={submit} noValidate aria-label="Convert lead" className="convert-form">
        <div className="convert-plan">
          <div className="convert-card">
            <p className="eyebrow">New contact</p>
            <strong>{name}</strong>
            <span className="muted">{lead.jobTitle}</span>
            <span className="muted">{[lead.email, lead.phone].filter(Boolean).join(' · ')}</span>
            <span className="muted">{lead.country}</span>
          </div>
          <div className="convert-card">
            <CompanyCard plan={plan} companyId={companyId} />
            <label htmlFor={`${formId}-company`} className="convert-other">
              Or link to another company
            </label>
            <FieldInput id={`${formId}-company`} field={COMPANY_PICK} text={companyId} onText={setCompanyId} />
          </div>
        </div>
        <label className="convert-toggle">
          <input type="checkbox" checked={withDeal} onChange={(e) => setWithDeal(e.target.checked)} />
          Create a deal
        </label>
        {withDeal && (
          <DealFields
            formId={formId}
            texts={texts}
            problems={problems}
            onText={(field, text) => {
              setForm((current) => typedDealText(current, field, text));
              // A field's message goes once the user changes it; the next Convert checks again.
              setProblems(({ [field]: _fixed, ...rest }) => rest);
            }}
          />
        )}
        {formError && (
          <p className="form-error" role="alert">
            {formError}
          </p>
        )}
        <div className="form-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={saving || plan === undefined}>
            {saving ? 'Converting…' : withDeal ? 'Convert and create deal' : 'Convert'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
