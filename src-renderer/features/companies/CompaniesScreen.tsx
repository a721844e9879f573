import { useNavigation } from '../../app/navigation';
import { Company360 } from './components/Company360';
import { CompanyList } from './components/CompanyList';
import './companies.css';

/** Companies: the list, and the open company's 360 beside it (its id in the route, so Back closes it). */
export function CompaniesScreen() {
  const route = useNavigation((s) => s.route);
  const go = useNavigation((s) => s.go);
  const id = route.screen === 'companies' ? route.id : undefined;
  return (
    <div className={id ? 'list-detail open view-360' : 'list-detail view-360'}>
      <CompanyList
        selectedId={id}
        compact={id !== undefined}
        onOpen={(openId) => go({ screen: 'companies', id: openId })}
      />
      {id && (
        <aside className="detail-pane" aria-label="Company">
          <Company360 key={id} id={id} onClose={() => go({ screen: 'companies' })} />
        </aside>
      )}
    </div>
  );
}
