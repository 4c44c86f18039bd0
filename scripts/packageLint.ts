/**
 * `n8n-node lint` in one package folder, as n8n's verification runs it: it passes as it is, or when its only
 * findings are the ones the maintainer's still-empty identity fields cause (scripts/identity.ts), which are then
 * listed. Used by `npm run lint` and by the check of each package on its own (scripts/standalone.ts).
 */
import { spawnSync } from 'node:child_process';

import type { ESLint } from 'eslint';

import { pendingIdentityRules, readManifest } from './identity';

/** `n8n-node lint` in one package folder: 0 when it passes, or fails on nothing but the identity fields. */
export function lintPackage(root: string, name: string): number {
	const cli = spawnSync('npx', ['n8n-node', 'lint'], { cwd: root, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } });
	process.stdout.write(cli.stdout);
	process.stderr.write(cli.stderr);
	if (cli.status === 0) return 0;
	// A strict-mode refusal (the config is not the default one) stops before ESLint runs: nothing to let through.
	if (/Strict mode violation/.test(cli.stdout + cli.stderr)) return 1;

	// The same ESLint run, read as JSON, to tell identity findings from the rest.
	const eslint = spawnSync('npx', ['eslint', '.', '--format', 'json'], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
	const results = JSON.parse(eslint.stdout) as ESLint.LintResult[];
	const pending = pendingIdentityRules(readManifest(root));
	const messages = results.flatMap((result) => result.messages.map((message) => ({ file: result.filePath, ...message })));
	const waiting = messages.filter((message) => pending.some((p) => p.ruleId === message.ruleId && message.file.endsWith('package.json')));
	if (messages.length === 0 || waiting.length !== messages.length) return 1;
	const fields = [...new Set(waiting.map((message) => pending.find((p) => p.ruleId === message.ruleId)?.field))];
	console.log(
		`${name}: n8n-node lint found nothing but the ${waiting.length} findings that wait on the maintainer's ${fields.join(' and ')} (docs/releasing.md; npm run release:check).`,
	);
	return 0;
}

