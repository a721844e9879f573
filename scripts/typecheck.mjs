// `npm run typecheck`: the Node and web projects checked at once (each tsc is single-threaded; CI has 2 cores).
import { spawn } from 'node:child_process';

const projects = ['tsconfig.node.json', 'tsconfig.web.json'];
const codes = await Promise.all(
  projects.map(
    (project) =>
      new Promise((resolve) => {
        const child = spawn('npx', ['tsc', '-p', project, '--noEmit'], { stdio: 'inherit' });
        child.on('exit', (code) => resolve(code ?? 1));
      }),
  ),
);
process.exit(codes.some((code) => code !== 0) ? 1 : 0);
