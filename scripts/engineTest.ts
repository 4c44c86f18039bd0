/* eslint-disable @n8n/community-nodes/no-dangerous-functions, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, no-console -- dev-only code, never shipped (README, Releasing) */
/**
 * Runs jest on the engine N8N_ENGINE selects (see test/harness/engines.js), after installing what it needs
 * into the cache folder: n8n-core 2.x and Node 24 for engine 2 (again only when their pins change), and for
 * engines 2 and mixed the packed package installed as n8n's installer installs it. Arguments go to jest.
 * The package must be built first (the npm scripts do).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { selectedEngine } from '../test/harness/engines';
import { cleanNpmEnv, installLikeN8n, N8N_INSTALL_ARGS, packPackage, PACKAGE_ROOT } from './communityInstall';
import { ensureNode } from './n8nLocal';

function npm(args: string[], cwd: string): void {
	const result = spawnSync('npm', args, { cwd, env: cleanNpmEnv(), stdio: ['ignore', 'inherit', 'inherit'] });
	if (result.status !== 0) throw new Error(`npm ${args.join(' ')} failed in ${cwd}`);
}

/** Installs `dependencies` into `folder` unless its package.json already lists exactly these. */
function ensureInstalled(folder: string, dependencies: Record<string, string>): void {
	const specFile = path.join(folder, 'package.json');
	const spec = `${JSON.stringify({ private: true, dependencies }, null, 2)}\n`;
	if (existsSync(path.join(folder, 'node_modules')) && existsSync(specFile) && readFileSync(specFile, 'utf8') === spec) return;
	mkdirSync(folder, { recursive: true });
	writeFileSync(specFile, spec);
	console.log(`Installing ${Object.entries(dependencies).map(([name, version]) => `${name}@${version}`).join(' ')} into ${folder}…`);
	// Lifecycle scripts are skipped: their native parts (isolated-vm) are not needed by the engine's code paths here.
	npm(['install', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], folder);
}

/** The installed version of a package in a node_modules folder, if any. */
function installedVersion(nodeModules: string, name: string): string | undefined {
	const manifest = path.join(nodeModules, name, 'package.json');
	return existsSync(manifest) ? (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version : undefined;
}

const engine = selectedEngine();
if (engine.engineDependencies) ensureInstalled(engine.engineRoot, engine.engineDependencies);
let node = process.execPath;
if (engine.node) node = ensureNode(engine.node).node;
if (engine.userFolder) {
	installLikeN8n(engine.userFolder, packPackage(path.join(engine.userFolder, 'pack'), { build: false }));
	const nodesFolder = path.join(engine.userFolder, '.n8n', 'nodes');
	for (const [name, version] of Object.entries(engine.besidePackage ?? {})) {
		if (installedVersion(path.join(nodesFolder, 'node_modules'), name) !== version) {
			npm(['install', ...N8N_INSTALL_ARGS, `${name}@${version}`], nodesFolder);
		}
	}
}

console.log(`Running jest on engine ${engine.name}: n8n modules from ${engine.engineRoot}, package from ${engine.packageRoot}, Node ${node}`);
const jest = path.join(PACKAGE_ROOT, 'node_modules', 'jest', 'bin', 'jest.js');
const result = spawnSync(node, [jest, ...process.argv.slice(2)], { cwd: PACKAGE_ROOT, stdio: 'inherit' });
process.exit(result.status ?? 1);
