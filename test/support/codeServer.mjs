// Starts code-server (a real VS Code 1.100.3 server) on loopback for tests and `npm start`, in its
// own process group with fresh user data, and stops it whole. See ../shared/vscode-harness/README.md.
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureCodeServer } from '../scripts/ensure-code-server.mjs';

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync'];

async function portInUse(port) {
  try {
    await fetch(`http://127.0.0.1:${port}/healthz`);
    return true;
  } catch {
    return false;
  }
}

async function waitHttp(url, ms = 60000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`code-server did not answer at ${url}`);
}

/**
 * @param {{ port?: number, vsix?: string, settings?: object, log?: string, keepUserData?: string }} opts
 * vsix: install this packaged extension first (as a user installs it).
 */
export async function startCodeServer(opts = {}) {
  const bin = ensureCodeServer();
  const port = Number(opts.port ?? process.env.PORT ?? 8124);
  if (await portInUse(port)) throw new Error(`port ${port} is already in use: a leftover code-server would serve this run; stop it or set PORT`);
  const home = opts.keepUserData ?? fs.mkdtempSync(path.join(os.tmpdir(), 'mlw-vscode-'));
  fs.mkdirSync(path.join(home, 'User'), { recursive: true });
  fs.writeFileSync(path.join(home, 'User', 'settings.json'), JSON.stringify({
    'workbench.startupEditor': 'none', 'telemetry.telemetryLevel': 'off', 'extensions.autoUpdate': false,
    'extensions.autoCheckUpdates': false, 'workbench.tips.enabled': false, 'security.workspace.trust.enabled': false,
    'git.openRepositoryInParentFolders': 'never',
    ...(opts.settings ?? {}),
  }, null, 2));
  const xdg = path.join(home, 'xdg');
  const env = { ...process.env, XDG_CONFIG_HOME: xdg, XDG_DATA_HOME: xdg, XDG_CACHE_HOME: xdg, TMPDIR: home };
  const common = ['--user-data-dir', home, '--extensions-dir', path.join(home, 'exts')];
  if (opts.vsix) execFileSync(bin, [...common, '--install-extension', opts.vsix, '--force'], { env, stdio: 'pipe' });
  const server = spawn(bin, ['--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--disable-telemetry', '--disable-update-check',
    '--disable-workspace-trust', '--disable-getting-started-override', ...common], { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const logFile = opts.log ?? path.join(home, 'code-server.log');
  const log = fs.createWriteStream(logFile);
  server.stdout.pipe(log);
  server.stderr.pipe(log);
  const exited = new Promise((r) => server.on('exit', r));
  async function stop() {
    try { process.kill(-server.pid, 'SIGTERM'); } catch {}
    const gone = await Promise.race([exited.then(() => true), new Promise((r) => setTimeout(() => r(false), 5000))]);
    if (!gone) { try { process.kill(-server.pid, 'SIGKILL'); } catch {} }
  }
  try {
    await waitHttp(`http://127.0.0.1:${port}/healthz`);
  } catch (e) {
    await stop();
    throw new Error(`${e.message}; log: ${logFile}`);
  }
  return { url: `http://127.0.0.1:${port}`, port, home, logFile, stop, exited };
}
