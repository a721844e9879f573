import { useNavigation } from '../../app/navigation';
import { LeadDetail } from './components/LeadDetail';
import { LeadInbox } from './components/LeadInbox';
import './leads.css';

/** Leads: the inbox by score beside the open lead; the lead's id lives in the route, so Back closes it. */
export function LeadsScreen() {
  const route = useNavigation((s) => s.route);
  const go = useNavigation((s) => s.go);
  const id = route.screen === 'leads' ? route.id : undefined;
  return (
    <div className={id ? 'list-detail leads-screen open' : 'list-detail leads-screen'}>
      <LeadInbox selectedId={id} onOpen={(openId) => go({ screen: 'leads', id: openId })} />
      {id && (
        <aside
          className="detail-pane"
          aria-label="Lead"
          onKeyDown={(event) => {
            // Escape closes the pane, unless it is closing a dialog of the pane or a select's list.
            const target = event.target as HTMLElement;
            if (event.key === 'Escape' && !target.closest('dialog') && target.tagName !== 'SELECT')
              go({ screen: 'leads' });
          }}
        >
          <LeadDetail id={id} onClose={() => go({ screen: 'leads' })} />
        </aside>
      )}
    </div>
  );
}
