/* eslint-disable @n8n/community-nodes/no-dangerous-functions, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- dev-only code, never shipped (README, Releasing) */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '..');
const eslintBin = path.join(root, 'node_modules', 'eslint', 'bin', 'eslint.js');

/** Lints `text` as the project's package.json with the project's ESLint config, as `npm run lint` (`eslint .`) does. */
function lintPackageJson(text: string): Array<{ ruleId: string; severity: number; message: string }> {
	const result = spawnSync(process.execPath, [eslintBin, '--format', 'json', '--stdin', '--stdin-filename', 'package.json'], {
		cwd: root,
		input: text,
		encoding: 'utf8',
	});
	expect(result.stderr).toBe('');
	const [file] = JSON.parse(result.stdout) as Array<{ messages: Array<{ ruleId: string; severity: number; message: string }> }>;
	return file.messages;
}

const packageJson = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as Record<string, unknown>;

describe('npm run lint applies the package.json rules of n8n-node lint and the scanner', () => {
	it('reports a planted bad copy: install script, overrides, a runtime dependency, no author', () => {
		const bad: Record<string, unknown> = {
			...packageJson,
			scripts: { ...(packageJson.scripts as object), postinstall: 'node setup.js' },
			overrides: { axios: '1.7.0' },
			dependencies: { axios: '1.7.0' },
		};
		delete bad.author;
		const errors = lintPackageJson(JSON.stringify(bad, null, 2)).filter((message) => message.severity === 2);
		expect(errors.map((message) => message.ruleId).sort()).toEqual([
			'@n8n/community-nodes/no-forbidden-lifecycle-scripts',
			'@n8n/community-nodes/no-overrides-field',
			'@n8n/community-nodes/no-runtime-dependencies',
			'@n8n/community-nodes/valid-author',
		]);
	}, 60_000);

	it('reports nothing on the real package.json but the fields that wait on the maintainer (README, Releasing)', () => {
		const identityRules = [
			'@n8n/community-nodes/valid-author',
			'n8n-nodes-base/community-package-json-author-email-still-default',
			'@n8n/community-nodes/require-homepage',
		];
		const others = lintPackageJson(JSON.stringify(packageJson, null, 2)).filter(
			(message) => !identityRules.includes(message.ruleId),
		);
		expect(others).toEqual([]);
	}, 60_000);
});
