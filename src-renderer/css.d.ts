/** Side-effect style imports (Vite bundles them); the Node typecheck of the renderer's .ts files sees them too. */
declare module '*.css';
