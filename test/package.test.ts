/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- dev-only code, never shipped (README, Releasing) */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { loadPackage } from './harness/engine';

const root = path.resolve(__dirname, '..');
const packageJson = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
	name: string;
	keywords: string[];
	files: string[];
	dependencies?: object;
	peerDependencies: Record<string, string>;
	n8n: { nodes: string[]; credentials: string[] };
};

/** The built package as n8n's PackageDirectoryLoader reads it when a user installs it. */
describe('the built package loads the way n8n loads a community package', () => {
	it('is a community node package with no runtime dependencies', () => {
		expect(packageJson.name).toMatch(/^n8n-nodes-/);
		expect(packageJson.keywords).toContain('n8n-community-node-package');
		expect(packageJson.files).toEqual(['dist']);
		expect(packageJson.dependencies).toBeUndefined();
		expect(packageJson.peerDependencies).toEqual({ 'n8n-workflow': '*' });
	});

	it('ships no source maps: they would point error stacks at .ts files the package does not ship', () => {
		const files = (folder: string): string[] =>
			readdirSync(folder, { withFileTypes: true }).flatMap((entry) =>
				entry.isDirectory() ? files(path.join(folder, entry.name)) : [path.join(folder, entry.name)],
			);
		const shipped = files(path.join(root, 'dist'));
		expect(shipped.filter((file) => file.endsWith('.js')).length).toBeGreaterThan(0);
		expect(shipped.filter((file) => file.endsWith('.map') || file.endsWith('.ts'))).toEqual([]);
	});

	it('loads every node named in the n8n block, each with its icons and codex', async () => {
		const loader = await loadPackage();
		const nodeNames = packageJson.n8n.nodes.map((file) => path.basename(file, '.node.js'));
		expect(loader.types.nodes.map((description) => description.displayName).length).toBe(nodeNames.length);
		for (const description of loader.types.nodes) {
			expect(description.codex?.categories).toContain('Finance & Accounting');
			expect(description.codex?.resources?.primaryDocumentation?.[0]?.url).toMatch(/^https:\/\//);
			const iconUrl = description.iconUrl as string | { light: string; dark: string };
			for (const icon of typeof iconUrl === 'string' ? [iconUrl] : [iconUrl.light, iconUrl.dark]) {
				// The loader points icons at `icons/<package>/<path in the package>`.
				const file = path.join(root, icon.replace(`icons/${packageJson.name}/`, ''));
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

	it('loads every credential named in the n8n block, each with a test request and a light and a dark icon', async () => {
		const loader = await loadPackage();
		const names = Object.keys(loader.credentialTypes).sort();
		expect(names).toHaveLength(packageJson.n8n.credentials.length);
		for (const name of names) {
			const { type } = loader.credentialTypes[name];
			expect(type.test?.request.url).toBeDefined();
			// Themed like the nodes' icons: a light and a dark file.
			const { light, dark } = type.iconUrl as { light: string; dark: string };
			for (const icon of [light, dark]) {
				expect(existsSync(path.join(root, icon.replace(`icons/${packageJson.name}/`, '')))).toBe(true);
			}
		}
	});
});
