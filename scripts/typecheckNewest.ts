/* eslint-disable @n8n/community-nodes/no-dangerous-functions, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, no-console -- dev-only code, never shipped (README, Releasing) */
/**
 * `npm run typecheck:newest`: type-checks `nodes/` and `credentials/` against the newest n8n-workflow on the
 * registry, as well as `npm run typecheck` does against the pinned one. n8n's installer can put the newest
 * release beside the package whatever n8n runs it, so an export it dropped must fail here, not in a user's run.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { cleanNpmEnv, PACKAGE_ROOT } from './communityInstall';

const FOLDER = path.join(PACKAGE_ROOT, '.cache', 'n8n-workflow-newest');

function npm(args: string[], cwd: string): string {
	const result = spawnSync('npm', args, { cwd, env: cleanNpmEnv(), encoding: 'utf8' });
	if (result.status !== 0) throw new Error(`npm ${args.join(' ')} failed:\n${result.stderr}`);
	return result.stdout.trim();
}

function installedVersion(): string | undefined {
	const manifest = path.join(FOLDER, 'node_modules', 'n8n-workflow', 'package.json');
	return existsSync(manifest) ? (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version : undefined;
}

const newest = npm(['view', 'n8n-workflow', 'version'], PACKAGE_ROOT);
if (installedVersion() !== newest) {
	mkdirSync(FOLDER, { recursive: true });
	writeFileSync(path.join(FOLDER, 'package.json'), '{ "private": true }\n');
	// Types only: its native expression runtime is never built or loaded here.
	npm(['install', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error', `n8n-workflow@${newest}`], FOLDER);
}
console.log(`Type-checking nodes/ and credentials/ against n8n-workflow ${installedVersion()} (the newest release)`);
const tsc = spawnSync('npx', ['tsc', '-p', 'tsconfig.newest.json'], { cwd: PACKAGE_ROOT, stdio: 'inherit' });
process.exit(tsc.status ?? 1);
