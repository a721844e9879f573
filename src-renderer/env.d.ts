import type { CrmApi } from '../src-shared/ipc/crm-api';

declare global {
  interface Window {
    /** The main-process bridge; absent when the renderer runs in a plain browser. */
    readonly crm?: CrmApi;
  }
}
