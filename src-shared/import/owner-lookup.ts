/**
 * The user an owner column names: by id, by email (any case) or by full name ("Ada Lovelace",
 * spaces and case ignored). A full name two users share names no one (undefined), so a record is
 * never given to the wrong person; the row's problem then says no user was found.
 */
const squash = (text: string) => text.trim().toLowerCase().replace(/\s+/g, ' ');

export function userLookup(users: Iterable<Readonly<Record<string, unknown>>>): (text: string) => string | undefined {
  const ids = new Set<string>();
  const byEmail = new Map<string, string>();
  const byName = new Map<string, string | null>();
  for (const user of users) {
    if (user.isDeleted === true || typeof user.id !== 'string') continue;
    ids.add(user.id);
    if (typeof user.email === 'string') byEmail.set(squash(user.email), user.id);
    const name = squash(`${String(user.firstName ?? '')} ${String(user.lastName ?? '')}`);
    if (name.length > 0) byName.set(name, byName.has(name) ? null : user.id);
  }
  return (raw) => {
    const value = raw.trim();
    if (ids.has(value)) return value;
    const key = squash(value);
    return byEmail.get(key) ?? byName.get(key) ?? undefined;
  };
}
