/**
 * The build-time variable the sign-in form reads, declared for the Node typecheck too (it reaches
 * this feature through imports; the web config gets `import.meta.env` from vite/client).
 */
interface ImportMetaEnv {
  readonly VITE_SYNC_URL?: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}
