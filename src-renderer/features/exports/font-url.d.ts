// The web config has these from vite/client; the Node config type-checks the renderer without it.
declare module '*.ttf?url' {
  const url: string;
  export default url;
}
