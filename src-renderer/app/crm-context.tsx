import { createContext, type ReactNode, useContext, useEffect, useMemo, useState } from 'react';
import { BUILT_IN_ROLE_IDS, type BuiltInRole, builtInPermissions } from '../../src-shared/auth/built-in-roles';
import { type Action, can, parsePermissions, type RolePermissions } from '../../src-shared/auth/permissions';
import type { LocalDatabase } from '../db/create-database';
import type { Repositories } from '../db/repositories';
import type { SessionReplication } from '../sync/session-replication';

/** Who works in the app: the signed-in user, or the demo's local user with every permission. */
export interface CurrentUser {
  readonly id: string;
  readonly name: string;
  readonly email?: string;
  readonly roleId: string;
  readonly permissions: RolePermissions;
}

export interface Crm {
  readonly db: LocalDatabase;
  readonly repos: Repositories;
  readonly user: CurrentUser;
  /** 'demo': the made-up data set of a device no one has signed in on; it never syncs. */
  readonly mode: 'demo' | 'signed-in';
  /** The replication that follows the session; undefined in demo mode. */
  readonly sync?: SessionReplication;
}

const CrmContext = createContext<Crm | undefined>(undefined);

export function CrmProvider({ value, children }: { value: Crm; children: ReactNode }) {
  return <CrmContext.Provider value={value}>{children}</CrmContext.Provider>;
}

/** The open database, repositories and user; only valid below CrmProvider (after the database opened). */
export function useCrm(): Crm {
  const crm = useContext(CrmContext);
  if (!crm) throw new Error('useCrm() is used outside CrmProvider');
  return crm;
}

export function useRepos(): Repositories {
  return useCrm().repos;
}

/** Whether the current user's role allows `action` on `entity` in any scope (the server checks the record). */
export function useCan(entity: string, action: Action): boolean {
  return can(useCrm().user.permissions, entity, action) !== 'none';
}

const builtInByRoleId = new Map(
  (Object.entries(BUILT_IN_ROLE_IDS) as [BuiltInRole, string][]).map(([role, id]) => [id, role]),
);

/** A role's permissions from the local copy of its record; a built-in role's defaults before it has synced. */
export function permissionsOf(roleId: string, stored: unknown): RolePermissions {
  if (stored !== undefined) {
    try {
      return parsePermissions(stored);
    } catch (error) {
      console.error(`[app] role ${roleId} has invalid permissions; falling back to none`, error);
    }
  }
  const builtIn = builtInByRoleId.get(roleId);
  return parsePermissions(builtIn ? builtInPermissions(builtIn) : {});
}

/** The current user's record and role, kept current as they sync (a role change applies at once). */
export function useCurrentUser(
  repos: Repositories | undefined,
  signedIn: { id: string; email: string; firstName: string; lastName: string; roleId: string } | undefined,
): CurrentUser | undefined {
  const [user, setUser] = useState<CurrentUser | undefined>(undefined);
  const demo = useMemo<CurrentUser>(
    () => ({
      id: 'local-user',
      name: 'Demo user',
      roleId: BUILT_IN_ROLE_IDS.admin,
      permissions: parsePermissions(builtInPermissions('admin')),
    }),
    [],
  );
  useEffect(() => {
    if (!repos) return;
    if (!signedIn) {
      setUser(demo);
      return;
    }
    const base = { id: signedIn.id, name: `${signedIn.firstName} ${signedIn.lastName}`, email: signedIn.email };
    const subscription = repos.userRole.observe({ includeDeleted: false }).subscribe((roles) => {
      void repos.user.get(signedIn.id).then((record) => {
        const roleId = record?.roleId ?? signedIn.roleId;
        const role = roles.find((r) => r.id === roleId);
        setUser({ ...base, roleId, permissions: permissionsOf(roleId, role?.permissions) });
      });
    });
    return () => subscription.unsubscribe();
  }, [repos, signedIn, demo]);
  return user;
}
