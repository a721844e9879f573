/** Time and identity of writes, injected so tests are deterministic. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export type IdGenerator = () => string;

export const randomId: IdGenerator = () => crypto.randomUUID();

/** Who is writing, from which device. */
export interface Actor {
  userId: string;
  deviceId: string;
}
