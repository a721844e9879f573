import { IPC_CHANNELS, type IpcArgs, type IpcChannel, type IpcResult } from './contract';

type AreaOf<C> = C extends `crm:${infer Area}.${string}` ? Area : never;
type VerbOf<C, Area extends string> = C extends `crm:${Area}.${infer Verb}` ? Verb : never;

/** `window.crm`: one async function per contract channel, grouped by area. */
export type CrmApi = {
  readonly [Area in AreaOf<IpcChannel>]: {
    readonly [C in IpcChannel as VerbOf<C, Area>]: (...args: IpcArgs<C>) => Promise<IpcResult<C>>;
  };
};

/** Sends one call to the main process; the preload passes `ipcRenderer.invoke`. */
export type Invoke = (channel: IpcChannel, ...args: unknown[]) => Promise<unknown>;

export interface ChannelParts {
  readonly area: string;
  readonly verb: string;
}

const CHANNEL_PATTERN = /^crm:([a-z][A-Za-z0-9]*)\.([a-z][A-Za-z0-9]*)$/;

export function splitChannel(channel: string): ChannelParts | null {
  const match = CHANNEL_PATTERN.exec(channel);
  if (!match?.[1] || !match[2]) return null;
  return { area: match[1], verb: match[2] };
}

/**
 * Builds the object the preload exposes. Every function forwards to its own channel only, so the
 * renderer never holds `ipcRenderer` (which would let it send on any channel) and cannot name a
 * channel that is not in the contract.
 */
export function createCrmApi(invoke: Invoke): CrmApi {
  const api: Record<string, Record<string, (...args: unknown[]) => Promise<unknown>>> = {};
  for (const channel of IPC_CHANNELS) {
    const parts = splitChannel(channel);
    if (!parts) throw new Error(`IPC channel ${channel} is not named crm:<area>.<verb>`);
    const area = api[parts.area] ?? {};
    area[parts.verb] = (...args: unknown[]) => invoke(channel, ...args);
    api[parts.area] = area;
  }
  for (const area of Object.values(api)) Object.freeze(area);
  // The loop builds exactly the shape CrmApi derives from the same channel list; TypeScript cannot
  // follow a mapped type through a runtime loop, hence the one cast.
  return Object.freeze(api) as unknown as CrmApi;
}
