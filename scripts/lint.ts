/* eslint-disable @n8n/community-nodes/no-dangerous-functions, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, no-console -- dev-only code, never shipped (README, Releasing) */
/**
 * `npm run lint`: `n8n-node lint` as n8n's verification runs it (strict mode: the default eslint.config.mjs, then
 * `eslint .`). It passes as it is, or when its only findings are the ones the maintainer's still-empty identity
 * fields cause (scripts/identity.ts); those are listed, and `npm run release:check` blocks a release on them.
 */
import { spawnSync } from 'node:child_process';

import type { ESLint } from 'eslint';

import { PACKAGE_ROOT } from './communityInstall';
import { pendingIdentityRules, readManifest } from './identity';

const cli = spawnSync('npx', ['n8n-node', 'lint'], { cwd: PACKAGE_ROOT, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } });
process.stdout.write(cli.stdout);
process.stderr.write(cli.stderr);
if (cli.status === 0) process.exit(0);
// A strict-mode refusal (the config is not the default one) stops before ESLint runs: nothing to let through.
if (/Strict mode violation/.test(cli.stdout + cli.stderr)) process.exit(1);

// The same ESLint run, read as JSON, to tell identity findings from the rest.
const eslint = spawnSync('npx', ['eslint', '.', '--format', 'json'], { cwd: PACKAGE_ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
const results = JSON.parse(eslint.stdout) as ESLint.LintResult[];
const pending = pendingIdentityRules(readManifest(PACKAGE_ROOT));
const messages = results.flatMap((result) => result.messages.map((message) => ({ file: result.filePath, ...message })));
const waiting = messages.filter((message) => pending.some((p) => p.ruleId === message.ruleId && message.file.endsWith('package.json')));
if (messages.length === 0 || waiting.length !== messages.length) process.exit(1);
const fields = [...new Set(waiting.map((message) => pending.find((p) => p.ruleId === message.ruleId)?.field))];
console.log(
	`n8n-node lint: nothing but the ${waiting.length} findings that wait on the maintainer's ${fields.join(' and ')} (README, Releasing; npm run release:check).`,
);
