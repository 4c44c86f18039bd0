import { readFileSync } from 'node:fs';
import path from 'node:path';

import { selectedEngine } from './harness/engines';
import { PACKAGES } from './harness/packages';

/**
 * The harness does what N8N_ENGINE says (test/harness/engines.js): the engine's n8n-core and n8n-workflow on the
 * test side, and the package's own `require('n8n-workflow')` resolving as node resolves it from where the
 * package was loaded: the engine's copy, except on `mixed`, where another copy is beside the package.
 */

const engine = selectedEngine();

/** The version of the package that holds a resolved file. */
function versionOf(resolvedFile: string, name: string): string {
	const marker = `${path.sep}node_modules${path.sep}${name}${path.sep}`;
	const root = resolvedFile.slice(0, resolvedFile.lastIndexOf(marker) + marker.length);
	return (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;
}

const engineCore = require.resolve('n8n-core');
const engineWorkflow = require.resolve('n8n-workflow');
// Both packages resolve it the same way (each from its own folder); the first stands for both.
const packageWorkflow = require.resolve('n8n-workflow', { paths: [path.join(engine.packageRoots[0], 'dist')] });

describe(`engine ${engine.name}`, () => {
	test('n8n-core and n8n-workflow on the test side come from the engine folder', () => {
		expect(engineCore.startsWith(path.join(engine.engineRoot, 'node_modules') + path.sep)).toBe(true);
		expect(engineWorkflow.startsWith(path.join(engine.engineRoot, 'node_modules') + path.sep)).toBe(true);
		if (engine.engineDependencies) {
			expect(versionOf(engineCore, 'n8n-core')).toBe(engine.engineDependencies['n8n-core']);
			expect(versionOf(engineWorkflow, 'n8n-workflow')).toBe(engine.engineDependencies['n8n-workflow']);
		}
	});

	test("the package's n8n-workflow is the engine's copy, or on mixed the one beside the package", () => {
		if (engine.besidePackage) {
			expect(packageWorkflow).not.toBe(engineWorkflow);
			expect(versionOf(packageWorkflow, 'n8n-workflow')).toBe(engine.besidePackage['n8n-workflow']);
			// Both are loaded in the same test: two module instances, two sets of error classes.
			// eslint-disable-next-line @typescript-eslint/no-require-imports
			expect(require(packageWorkflow).NodeApiError).not.toBe(require(engineWorkflow).NodeApiError);
		} else {
			expect(packageWorkflow).toBe(engineWorkflow);
		}
	});

	test('each package is loaded from where the engine says', () => {
		const names = engine.packageRoots.map((root) => (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { name: string }).name);
		expect(names).toEqual(PACKAGES.map(({ name }) => name));
		if (engine.userFolder) for (const root of engine.packageRoots) expect(root.startsWith(engine.userFolder)).toBe(true);
	});
});
