#!/usr/bin/env node
/**
 * `npm start`: the desktop app where Electron can start, otherwise the same renderer in a browser.
 *
 * Electron's binary is not part of the npm package (from Electron 42 on it is fetched on first
 * launch), and launching needs a display; on a headless or offline machine neither holds
 * (DESIGN.md §2). So this script checks both, tries the desktop app, and falls back to serving the
 * renderer with Vite (vite.web.config.ts) plus the sync server when it exists, saying so loudly.
 *
 *   npm start                 auto: desktop, else browser
 *   npm start -- --web        browser only (also CRM_START=web)
 *   npm start -- --desktop    desktop only, fail instead of falling back (also CRM_START=desktop)
 *   PORT=8080 npm start       port of the browser fallback (default 5173, next free one if taken)
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const require = createRequire(join(ROOT, 'package.json'));
const IS_WINDOWS = process.platform === 'win32';
const HOST = '127.0.0.1';
/** The browser fallback's port when PORT is unset (next free one if taken); the sync server allows its origin by default. */
const DEFAULT_WEB_PORT = 5173;
/** A desktop launch that fails within this window is a launch failure, not the user quitting. */
const EARLY_EXIT_MS = 20_000;
const ELECTRON_DOWNLOAD_TIMEOUT_MS = 5 * 60_000;
const SERVER_ENTRY = join(ROOT, 'sync-server/src/index.ts');

/** @type {Set<import('node:child_process').ChildProcess>} */
const children = new Set();
let shuttingDown = false;

function log(message) {
  console.log(`[start] ${message}`);
}

function banner(lines) {
  const width = Math.max(...lines.map((line) => line.length)) + 4;
  const rule = '='.repeat(width);
  console.log(`\n${rule}\n${lines.map((line) => `  ${line}`).join('\n')}\n${rule}\n`);
}

function packageBin(name, bin = name) {
  const manifestPath = require.resolve(`${name}/package.json`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  const relative = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin[bin];
  return join(dirname(manifestPath), relative);
}

/**
 * Spawns a child in its own process group (POSIX) so that stopping it also stops what it spawned
 * (npm → sh → tsx → node). Stdin is not passed on: a child in a background process group that reads
 * the terminal would be stopped by SIGTTIN.
 */
function startChild(command, args, options = {}) {
  const child = spawn(command, args, {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
    detached: !IS_WINDOWS,
    env: options.env ?? process.env,
  });
  children.add(child);
  child.on('exit', () => children.delete(child));
  return child;
}

function stopChild(child, signal = 'SIGTERM') {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  try {
    if (IS_WINDOWS) spawnSync('taskkill', ['/pid', String(child.pid), '/T', '/F'], { stdio: 'ignore' });
    else process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

function shutdown(exitCode) {
  if (shuttingDown) return;
  shuttingDown = true;
  for (const child of children) stopChild(child);
  // Whatever ignores SIGTERM is killed; unref so an early clean exit is not delayed.
  setTimeout(() => {
    for (const child of children) stopChild(child, 'SIGKILL');
    process.exit(exitCode);
  }, 5_000).unref();
  const exitWhenDone = () => {
    if (children.size === 0) process.exit(exitCode);
  };
  for (const child of children) child.on('exit', exitWhenDone);
  exitWhenDone();
}

for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
  ['SIGHUP', 129],
]) {
  process.on(signal, () => {
    log(`${signal}: stopping ${children.size} child process(es)`);
    shutdown(code);
  });
}

function waitForExit(child, timeoutMs) {
  return new Promise((resolveExit) => {
    const timer = timeoutMs === undefined ? null : setTimeout(() => resolveExit({ running: true }), timeoutMs);
    child.on('exit', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolveExit({ running: false, code: code ?? (signal ? 1 : 0) });
    });
    child.on('error', (error) => {
      if (timer) clearTimeout(timer);
      resolveExit({ running: false, code: 1, error });
    });
  });
}

// ---------------------------------------------------------------- desktop

function electronExecutable() {
  // electron-vite honours ELECTRON_EXEC_PATH too (e.g. an Electron installed system-wide).
  const override = process.env.ELECTRON_EXEC_PATH;
  if (override) return existsSync(override) ? override : null;
  const dir = dirname(require.resolve('electron/package.json'));
  const pathFile = join(dir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const executable = join(process.env.ELECTRON_OVERRIDE_DIST_PATH ?? join(dir, 'dist'), readFileSync(pathFile, 'utf8'));
  return existsSync(executable) ? executable : null;
}

/** Returns null when Electron can be launched, else the reason it cannot. */
async function electronUnavailableReason() {
  const installed = electronExecutable() !== null;
  const headless = process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;
  if (headless) {
    // No point downloading ~100 MB for a window that cannot open.
    const binary = installed ? '' : 'the Electron binary is not installed and ';
    return `${binary}there is no graphical display (neither DISPLAY nor WAYLAND_DISPLAY is set)`;
  }
  if (installed) return null;
  if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) {
    return 'the Electron binary is not installed and ELECTRON_SKIP_BINARY_DOWNLOAD is set';
  }
  log('Electron binary not installed yet: downloading it (first launch only)…');
  const installer = startChild(process.execPath, [packageBin('electron', 'install-electron')]);
  const result = await waitForExit(installer, ELECTRON_DOWNLOAD_TIMEOUT_MS);
  if (result.running) {
    stopChild(installer);
    return 'the Electron binary download timed out';
  }
  if (result.code !== 0 || !electronExecutable()) {
    return 'the Electron binary is not installed and could not be downloaded (no network?)';
  }
  return null;
}

/** Runs `electron-vite dev`. Resolves with the reason if it failed right away, else never (exits). */
async function runDesktop() {
  log('Launching the desktop app (electron-vite dev)…');
  const child = startChild(process.execPath, [packageBin('electron-vite'), 'dev']);
  const early = await waitForExit(child, EARLY_EXIT_MS);
  if (!early.running && early.code !== 0) return `Electron exited with code ${early.code} right after launch`;
  const final = early.running ? await waitForExit(child) : early;
  shutdown(final.code);
  return null;
}

// ---------------------------------------------------------------- browser

function isPortFree(port) {
  return new Promise((resolveFree) => {
    const probe = createServer();
    probe.once('error', () => resolveFree(false));
    probe.listen(port, HOST, () => probe.close(() => resolveFree(true)));
  });
}

async function pickPort() {
  const wanted = Number(process.env.PORT) || DEFAULT_WEB_PORT;
  for (let port = wanted; port < wanted + 20; port += 1) {
    if (await isPortFree(port)) return port;
    log(`port ${port} is in use, trying ${port + 1}`);
  }
  throw new Error(`no free port between ${wanted} and ${wanted + 19}`);
}

async function waitForHttp(url, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      return response.status;
    } catch {
      await new Promise((wake) => setTimeout(wake, 250));
    }
  }
  return null;
}

/**
 * `webPort`: where the browser fallback serves the page. The server allows the default port's
 * origins on its own (sync-server/src/app.ts DEFAULT_CORS_ORIGINS); on another port the page's
 * origin is added, or sign-in, sync and the PDF font would fail as cross-origin requests. A
 * CORS_ORIGINS the user set is left as it is.
 */
function startSyncServer(webPort) {
  if (!existsSync(SERVER_ENTRY)) {
    log('No sync server yet (sync-server/src/index.ts is missing): the app runs on its local database only.');
    return;
  }
  log('Starting the sync server (npm run server)…');
  // PORT is the browser fallback's; the server picks its own default.
  const { PORT: _webPort, ...env } = process.env;
  if (webPort !== DEFAULT_WEB_PORT && !env.CORS_ORIGINS) {
    env.CORS_ORIGINS = [`http://127.0.0.1:${webPort}`, `http://localhost:${webPort}`].join(',');
    log(`The page is on port ${webPort}: the sync server allows its origin (CORS_ORIGINS=${env.CORS_ORIGINS}).`);
  }
  const npm = process.env.npm_execpath;
  const server = npm
    ? startChild(process.execPath, [npm, 'run', 'server'], { env })
    : startChild(IS_WINDOWS ? 'npm.cmd' : 'npm', ['run', 'server'], { env });
  server.on('exit', (code) => {
    if (!shuttingDown) log(`the sync server stopped (code ${code}); the app keeps working offline.`);
  });
}

async function runBrowser(reason) {
  if (reason) {
    banner([
      'Electron cannot start here:',
      `  ${reason}.`,
      'Serving the product in a browser instead (same renderer, no desktop shell).',
    ]);
  }
  const port = await pickPort();
  const url = `http://${HOST}:${port}/`;
  const vite = startChild(process.execPath, [packageBin('vite'), '--config', 'vite.web.config.ts'], {
    env: { ...process.env, PORT: String(port) },
  });
  vite.on('exit', (code) => {
    if (shuttingDown) return;
    log(`the web server stopped (code ${code})`);
    shutdown(code ?? 1);
  });
  startSyncServer(port);

  const status = await waitForHttp(url, 60_000);
  if (status === null) {
    log(`the web server did not answer on ${url} within 60 s`);
    shutdown(1);
    return;
  }
  const lines = [`FieldCRM is served at  ${url}`, 'Open it in a browser. Press Ctrl+C to stop.'];
  if (status === 404) lines.push('(404: src-renderer/index.html does not exist yet.)');
  banner(lines);
}

// ---------------------------------------------------------------- main

async function main() {
  const args = process.argv.slice(2);
  const mode = args.includes('--web')
    ? 'web'
    : args.includes('--desktop')
      ? 'desktop'
      : (process.env.CRM_START ?? 'auto');
  if (mode === 'web') return runBrowser(null);

  const unavailable = await electronUnavailableReason();
  const failure = unavailable ?? (await runDesktop());
  if (failure === null) return;
  if (mode === 'desktop') {
    log(`Electron cannot start: ${failure}.`);
    shutdown(1);
    return;
  }
  return runBrowser(failure);
}

main().catch((error) => {
  console.error('[start] failed:', error);
  shutdown(1);
});
