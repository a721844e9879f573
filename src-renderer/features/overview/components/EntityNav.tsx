import { type DocumentEntityName, ENTITIES, getEntity } from '../../../../src-shared/entities/registry';
import { useAppStore } from '../../../app/app.store';
import type { Repositories } from '../../../db/repositories';
import { useObservable } from '../../../ui/useObservable';

const DOCUMENT_ENTITIES = ENTITIES.filter((e) => e.storage === 'document').map((e) => e.name as DocumentEntityName);

function EntityCount({ repos, name }: { repos: Repositories; name: DocumentEntityName }) {
  const count = useObservable(() => repos[name].observeCount(), -1, [repos, name]);
  return <span className="count">{count < 0 ? '…' : count.toLocaleString()}</span>;
}

/** Every entity of the registry with its live record count; arrow keys move the selection. */
export function EntityNav({ repos }: { repos: Repositories }) {
  const { selected, select } = useAppStore();
  const move = (delta: number) => {
    const next =
      DOCUMENT_ENTITIES[
        (DOCUMENT_ENTITIES.indexOf(selected) + delta + DOCUMENT_ENTITIES.length) % DOCUMENT_ENTITIES.length
      ];
    if (next) {
      select(next);
      document.getElementById(`nav-${next}`)?.focus();
    }
  };
  return (
    <nav
      className="entity-nav"
      aria-label="Entities"
      onKeyDown={(e) => {
        if (e.key === 'ArrowDown') move(1);
        else if (e.key === 'ArrowUp') move(-1);
        else return;
        e.preventDefault();
      }}
    >
      {DOCUMENT_ENTITIES.map((name) => (
        <button
          key={name}
          id={`nav-${name}`}
          type="button"
          className={name === selected ? 'active' : ''}
          aria-current={name === selected ? 'page' : undefined}
          onClick={() => select(name)}
        >
          <span>{getEntity(name).plural}</span>
          <EntityCount repos={repos} name={name} />
        </button>
      ))}
    </nav>
  );
}
