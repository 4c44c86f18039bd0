import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { PACKAGES, PROJECT_ROOT } from './harness/packages';

const eslintBin = path.join(PROJECT_ROOT, 'node_modules', 'eslint', 'bin', 'eslint.js');

/**
 * Lints `text` as a package's package.json with the package's ESLint config (n8n's default), as `n8n-node lint`
 * in its folder (`npm run lint`) does.
 */
function lintPackageJson(root: string, text: string): Array<{ ruleId: string; severity: number; message: string }> {
	const result = spawnSync(process.execPath, [eslintBin, '--format', 'json', '--stdin', '--stdin-filename', 'package.json'], {
		cwd: root,
		input: text,
		encoding: 'utf8',
	});
	expect(result.stderr).toBe('');
	const [file] = JSON.parse(result.stdout) as Array<{ messages: Array<{ ruleId: string; severity: number; message: string }> }>;
	return file.messages;
}

describe.each(PACKAGES)('npm run lint applies the package.json rules of n8n-node lint and the scanner to $name', ({ root }) => {
	const packageJson = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as Record<string, unknown>;

	it('reports a planted bad copy: install script, overrides, a runtime dependency, no author', () => {
		const bad: Record<string, unknown> = {
			...packageJson,
			scripts: { ...(packageJson.scripts as object), postinstall: 'node setup.js' },
			overrides: { axios: '1.7.0' },
			dependencies: { axios: '1.7.0' },
		};
		delete bad.author;
		const errors = lintPackageJson(root, JSON.stringify(bad, null, 2)).filter((message) => message.severity === 2);
		expect(errors.map((message) => message.ruleId).sort()).toEqual([
			'@n8n/community-nodes/no-forbidden-lifecycle-scripts',
			'@n8n/community-nodes/no-overrides-field',
			'@n8n/community-nodes/no-runtime-dependencies',
			'@n8n/community-nodes/valid-author',
		]);
	}, 60_000);

	it('reports nothing on the real package.json but the fields that wait on the maintainer (docs/releasing.md)', () => {
		const identityRules = [
			'@n8n/community-nodes/valid-author',
			'n8n-nodes-base/community-package-json-author-email-still-default',
			'@n8n/community-nodes/require-homepage',
		];
		const others = lintPackageJson(root, JSON.stringify(packageJson, null, 2)).filter(
			(message) => !identityRules.includes(message.ruleId),
		);
		expect(others).toEqual([]);
	}, 60_000);
});
