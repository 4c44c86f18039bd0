import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { loadPackages } from './harness/engine';
import { PACKAGES, PROJECT_ROOT } from './harness/packages';

interface Manifest {
	name: string;
	keywords: string[];
	files: string[];
	license: string;
	version: string;
	dependencies?: object;
	devDependencies?: Record<string, string>;
	peerDependencies: Record<string, string>;
	repository: { directory: string };
	n8n: { nodes: string[]; credentials: string[]; strict: boolean };
}

const manifests = PACKAGES.map((pkg) => ({ pkg, manifest: JSON.parse(readFileSync(path.join(pkg.root, 'package.json'), 'utf8')) as Manifest }));

/** What a package's dist/ holds, relative to its folder: what npm pack ships besides its manifest, README and license. */
function shippedFiles(root: string, folder = path.join(root, 'dist')): string[] {
	return readdirSync(folder, { withFileTypes: true }).flatMap((entry) =>
		entry.isDirectory() ? shippedFiles(root, path.join(folder, entry.name)) : [path.relative(root, path.join(folder, entry.name))],
	);
}

/** The other service's files are recognised by its name in the path (nodes/Moneybird…, credentials/KantataOx…). */
const SERVICE = { 'kantata-ox': /kantata/i, moneybird: /moneybird/i } as Record<string, RegExp>;

describe('one package per service, each a community node package of its own', () => {
	it.each(manifests)('$manifest.name: no runtime dependency, MIT, strict, its own folder named as its repository directory', ({ pkg, manifest }) => {
		expect(manifest.name).toMatch(/^n8n-nodes-/);
		expect(manifest.keywords).toContain('n8n-community-node-package');
		expect(manifest.files).toEqual(['dist']);
		expect(manifest.dependencies).toBeUndefined();
		expect(manifest.peerDependencies).toEqual({ 'n8n-workflow': '*' });
		expect(manifest.license).toBe('MIT');
		expect(manifest.n8n.strict).toBe(true);
		expect(manifest.repository.directory).toBe(`packages/${pkg.folder}`);
		expect(readFileSync(path.join(pkg.root, 'LICENSE.md'), 'utf8')).toBe(readFileSync(path.join(pkg.root, '..', '..', 'LICENSE.md'), 'utf8'));
	});

	it.each(manifests)('$manifest.name builds on its own with the repository\'s pinned tools (npm run check:standalone)', ({ manifest }) => {
		const root = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
		const own = manifest.devDependencies ?? {};
		expect(Object.keys(own).sort()).toEqual(['@n8n/node-cli', '@types/node', 'eslint', 'typescript']);
		for (const [name, version] of Object.entries(own)) expect(`${name}@${version}`).toBe(`${name}@${root.devDependencies[name]}`);
	});

	it('released together: one version', () => {
		expect(new Set(manifests.map(({ manifest }) => manifest.version)).size).toBe(1);
	});

	it.each(manifests)('$manifest.name ships no file of the other service', ({ pkg }) => {
		const other = Object.entries(SERVICE).find(([folder]) => folder !== pkg.folder)![1];
		const shipped = shippedFiles(pkg.root);
		expect(shipped.filter((file) => SERVICE[pkg.folder].test(file)).length).toBeGreaterThan(0);
		expect(shipped.filter((file) => other.test(file))).toEqual([]);
	});
});

/** The built packages as n8n's PackageDirectoryLoader reads them when a user installs them. */
describe('each built package loads the way n8n loads a community package', () => {
	it.each(manifests)('$manifest.name ships no source maps: they would point error stacks at .ts files it does not ship', ({ pkg }) => {
		const shipped = shippedFiles(pkg.root);
		expect(shipped.filter((file) => file.endsWith('.js')).length).toBeGreaterThan(0);
		expect(shipped.filter((file) => file.endsWith('.map') || file.endsWith('.ts'))).toEqual([]);
	});

	it.each(manifests)('$manifest.name loads every node named in its n8n block, each with its icons and codex', async ({ pkg, manifest }) => {
		const loader = (await loadPackages()).loaders.find((candidate) => candidate.packageName === manifest.name)!;
		expect(Object.keys(loader.nodeTypes).sort()).toEqual([...pkg.nodes].sort());
		expect(loader.types.nodes).toHaveLength(manifest.n8n.nodes.length);
		for (const description of loader.types.nodes) {
			expect(description.codex?.categories).toContain('Finance & Accounting');
			expect(description.codex?.resources?.primaryDocumentation?.[0]?.url).toMatch(/^https:\/\//);
			const iconUrl = description.iconUrl as string | { light: string; dark: string };
			for (const icon of typeof iconUrl === 'string' ? [iconUrl] : [iconUrl.light, iconUrl.dark]) {
				// The loader points icons at `icons/<package>/<path in the package>`.
				const file = path.join(loader.directory, icon.replace(`icons/${manifest.name}/`, ''));
				expect(existsSync(file)).toBe(true);
				expect(readFileSync(file, 'utf8')).toMatch(/^<svg /);
			}
			if (description.group.includes('trigger')) {
				// A trigger starts a workflow: n8n's lint forbids offering it to an AI agent as a tool.
				expect(description.usableAsTool).toBeUndefined();
				expect(description.inputs).toEqual([]);
				// Polling, or a webhook n8n registers with the service on activation (its node answers at once).
				if (description.polling !== true) {
					expect(description.webhooks).toEqual([expect.objectContaining({ name: 'default', httpMethod: 'POST', responseMode: 'onReceived' })]);
				}
				expect(description.subtitle).toBeDefined();
			} else {
				expect(description.usableAsTool).toBe(true);
				expect(description.subtitle).toBe('={{$parameter["operation"] + ": " + $parameter["resource"]}}');
			}
		}
	});

	it.each(manifests)('$manifest.name loads every credential named in its n8n block, each with a test request and a light and a dark icon', async ({ manifest }) => {
		const loader = (await loadPackages()).loaders.find((candidate) => candidate.packageName === manifest.name)!;
		const names = Object.keys(loader.credentialTypes).sort();
		expect(names).toHaveLength(manifest.n8n.credentials.length);
		for (const name of names) {
			const { type } = loader.credentialTypes[name];
			expect(type.test?.request.url).toBeDefined();
			// Themed like the nodes' icons: a light and a dark file.
			const { light, dark } = type.iconUrl as { light: string; dark: string };
			for (const icon of [light, dark]) {
				expect(existsSync(path.join(loader.directory, icon.replace(`icons/${manifest.name}/`, '')))).toBe(true);
			}
		}
	});
});
