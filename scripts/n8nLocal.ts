/* eslint-disable @n8n/community-nodes/no-dangerous-functions, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, import-x/no-duplicates, no-console -- dev-only code, never shipped (README, Releasing) */
/**
 * A real n8n for development, installed on demand into a cache folder (as n8n's own node tooling does), with this
 * package loaded the way n8n loads an installed community package: from `<user folder>/.n8n/nodes/node_modules`.
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';

import { installLikeN8n, packPackage } from './communityInstall';
import os from 'node:os';
import path from 'node:path';

/** The newest n8n whose dependencies install on Node 20 (later 1.123.x pull in isolated-vm, which does not build). */
export const N8N_VERSION = '1.123.50';
import { PACKAGE_NAME, PACKAGE_ROOT } from './communityInstall';

export { PACKAGE_NAME, PACKAGE_ROOT };
export const CACHE = process.env.N8N_NODES_CACHE ?? path.join(os.homedir(), '.cache', PACKAGE_NAME);
const INSTALL_DIR = path.join(CACHE, `n8n-${N8N_VERSION}`);

/**
 * What the cache folder installs. Overrides keep n8n's dependency tree installable and startable here:
 * - n8n pins xlsx to a tarball outside the npm registry; the registry's release is the same library;
 * - newer @langchain/langgraph-checkpoint releases need an @langchain/core newer than the one n8n pins
 *   (`n8n start` then fails to load); 1.0.1 is the newest that works with it.
 */
const INSTALL_SPEC = {
	private: true,
	dependencies: { n8n: N8N_VERSION },
	overrides: { xlsx: 'npm:xlsx@0.18.5', '@langchain/langgraph-checkpoint': '1.0.1' },
};

/** Installs n8n into the cache (again only when the spec above changed); returns the path of its command. */
export function ensureN8n(): string {
	const bin = path.join(INSTALL_DIR, 'node_modules', '.bin', 'n8n');
	const specFile = path.join(INSTALL_DIR, 'package.json');
	const spec = `${JSON.stringify(INSTALL_SPEC, null, 2)}\n`;
	if (existsSync(bin) && existsSync(specFile) && readFileSync(specFile, 'utf8') === spec) return bin;
	mkdirSync(INSTALL_DIR, { recursive: true });
	writeFileSync(specFile, spec);
	console.log(`Installing n8n ${N8N_VERSION} into ${INSTALL_DIR} (once; about 1.7 GB, a few minutes)…`);
	// n8n needs its native modules built (sqlite3): this project's .npmrc sets ignore-scripts, which `npm run` hands down.
	const result = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', '--ignore-scripts=false'], {
		cwd: INSTALL_DIR,
		stdio: 'inherit',
	});
	if (result.status !== 0 || !existsSync(bin)) throw new Error(`npm install of n8n ${N8N_VERSION} failed`);
	return bin;
}

/** A user folder holding this package as n8n's installer puts it there (packed, then installed with n8n's arguments). */
export function prepareUserFolder(name: string): string {
	const userFolder = path.join(CACHE, name);
	installLikeN8n(userFolder, packPackage(path.join(CACHE, 'pack'), { build: false }));
	return userFolder;
}

export function n8nEnvironment(userFolder: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
	return {
		...process.env,
		N8N_USER_FOLDER: userFolder,
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_RUNNERS_ENABLED: 'false',
		N8N_SECURE_COOKIE: 'false',
		...extra,
	};
}

/**
 * Runs an n8n CLI command to completion and returns its output. Asynchronous, so that servers in this process
 * (the sandbox) keep answering while n8n talks to them.
 */
export async function n8nCommand(bin: string, userFolder: string, args: string[]): Promise<{ status: number; output: string }> {
	const child = spawn(bin, args, { env: n8nEnvironment(userFolder, { N8N_LOG_LEVEL: 'info' }) });
	let output = '';
	child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
	child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
	const status = await new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? 1)));
	return { status, output };
}

export function startN8n(bin: string, userFolder: string): ChildProcess {
	return spawn(bin, ['start'], { env: n8nEnvironment(userFolder), stdio: 'inherit' });
}
