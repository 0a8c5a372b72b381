// Installs the test-only VS Code (code-server 4.100.3, which embeds VS Code 1.100.3) into
// .vscode-test/code-server when it is missing. It is not an npm dependency of the product: it is
// about 300 MB, needs special install flags, and desktop users never need it.
// Recipe and pitfalls: ../shared/vscode-harness/README.md.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CODE_SERVER_VERSION = '4.100.3';
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dir = path.join(root, '.vscode-test', 'code-server');
export const codeServerBin = path.join(dir, 'node_modules', '.bin', 'code-server');

function installed() {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'node_modules', 'code-server', 'package.json'), 'utf8'));
    // The postinstall installs VS Code's own dependencies; their presence shows it ran to the end.
    const vscodeDeps = path.join(dir, 'node_modules', 'code-server', 'lib', 'vscode', 'node_modules.asar');
    return pkg.version === CODE_SERVER_VERSION && fs.existsSync(codeServerBin) && fs.existsSync(vscodeDeps);
  } catch {
    return false;
  }
}

// @vscode/ripgrep's postinstall downloads rg from GitHub unless its cache already holds the archive;
// seed the cache with Debian's rg so the install needs only the npm registry.
function seedRipgrepCache() {
  const rg = ['/usr/bin/rg', '/usr/local/bin/rg'].find((p) => fs.existsSync(p));
  if (!rg) throw new Error('ripgrep is missing: apt-get install -y ripgrep (see README, "System packages")');
  const tmp = os.tmpdir();
  const cache = path.join(tmp, 'vscode-ripgrep-cache-1.15.11');
  const seed = path.join(tmp, 'rg-seed');
  fs.mkdirSync(cache, { recursive: true });
  fs.mkdirSync(seed, { recursive: true });
  fs.copyFileSync(rg, path.join(seed, 'rg'));
  execFileSync('tar', ['czf', path.join(cache, 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz'), '-C', seed, 'rg']);
}

export function ensureCodeServer() {
  if (installed()) return codeServerBin;
  console.log(`Installing code-server ${CODE_SERVER_VERSION} (test tool, about 2 minutes) into ${dir}`);
  seedRipgrepCache();
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'vscode-test-code-server', private: true }, null, 2));
  // npm 11 skips dependency install scripts unless allowed; code-server's postinstall (and the npm
  // installs it runs inside lib/vscode, which build native modules) must run, so allow them here,
  // for this test tool only. As root the postinstall also insists on unsafe-perm.
  fs.rmSync(path.join(dir, 'node_modules'), { recursive: true, force: true });
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--no-save', `code-server@${CODE_SERVER_VERSION}`], {
    cwd: dir,
    stdio: 'inherit',
    env: { ...process.env, npm_config_yes: 'true', npm_config_unsafe_perm: 'true', npm_config_dangerously_allow_all_scripts: 'true' },
  });
  if (!installed()) throw new Error(`code-server ${CODE_SERVER_VERSION} did not install into ${dir}`);
  return codeServerBin;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    ensureCodeServer();
  } catch (e) {
    console.error(String(e && e.message ? e.message : e));
    process.exit(1);
  }
}
