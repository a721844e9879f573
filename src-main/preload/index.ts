/**
 * Runs in the sandboxed preload world. It may import only `electron` and src-shared/ipc (enforced by
 * tests/contract/layers.test.ts) and is emitted as CommonJS, the only format a sandboxed preload
 * accepts. The page receives `window.crm` — one function per contract channel — never
 * `ipcRenderer` itself, which would let it send on any channel.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { createCrmApi } from '../../src-shared/ipc/crm-api';

contextBridge.exposeInMainWorld(
  'crm',
  createCrmApi((channel, ...args) => ipcRenderer.invoke(channel, ...args)),
);
