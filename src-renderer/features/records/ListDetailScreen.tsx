import type { ComponentProps, ReactNode } from 'react';
import type { DocumentEntityName } from '../../../src-shared/entities/registry';
import { type ScreenId, useNavigation } from '../../app/navigation';
import { EntityList } from './EntityList';
import { RecordDetail } from './RecordDetail';

interface ListDetailScreenProps {
  screen: ScreenId;
  entity: DocumentEntityName;
  list?: Omit<ComponentProps<typeof EntityList>, 'entity' | 'onOpen' | 'selectedId'>;
  /** The record pane; default: the generic RecordDetail. */
  detail?: (id: string, close: () => void) => ReactNode;
}

/** A list with the open record beside it; the record id lives in the route, so Back closes it. */
export function ListDetailScreen({ screen, entity, list, detail }: ListDetailScreenProps) {
  const route = useNavigation((s) => s.route);
  const go = useNavigation((s) => s.go);
  const id = route.screen === screen ? route.id : undefined;
  const close = () => go({ screen, ...(route.tab ? { tab: route.tab } : {}) });
  return (
    <div className={id ? 'list-detail open' : 'list-detail'}>
      <EntityList
        entity={entity}
        {...list}
        selectedId={id}
        onOpen={(openId) => go({ screen, id: openId, ...(route.tab ? { tab: route.tab } : {}) })}
      />
      {id && (
        <aside className="detail-pane" aria-label="Record">
          {detail ? detail(id, close) : <RecordDetail entity={entity} id={id} onClose={close} />}
        </aside>
      )}
    </div>
  );
}
