import { getEntity } from '../../../src-shared/entities/registry';
import type { Equality } from '../../db/entity-repository';

export const CONTACT_STATUSES = getEntity('contact').fields.status.values;

export interface ContactFilters {
  status?: string;
  ownerId?: string;
}

/**
 * The equality filters whose union is the list, each one served by a declared contact index
 * (`[ownerId, status, …]`, `[status, …]`, `[isDeleted, …]`). An owner alone has no index of its
 * own, so it is asked once per status on the owner-and-status index and usePagedList merges the pages.
 */
export function contactListWheres(filters: ContactFilters): Record<string, Equality>[] {
  const { status, ownerId } = filters;
  if (ownerId && !status) return CONTACT_STATUSES.map((s) => ({ ownerId, status: s }));
  return [{ ...(ownerId ? { ownerId } : {}), ...(status ? { status } : {}) }];
}
