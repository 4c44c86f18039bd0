/* eslint-disable @n8n/community-nodes/no-dangerous-functions, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- dev-only code, never shipped (README, Releasing) */
/**
 * The package as users get it: packed with `npm pack` and installed into a user folder's `.n8n/nodes` with the
 * arguments n8n's Community Nodes installer uses. Whatever npm then puts beside the package (the peer
 * `n8n-workflow`, or nothing) is what the nodes run with in the field; a link to the working copy would hide it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { PACKAGE_NAME } from '../test/harness/engines';

/** n8n's own `npm install` arguments for a community package (CommunityPackagesService, 1.x and 2.x). */
export const N8N_INSTALL_ARGS = [
	'--audit=false',
	'--fund=false',
	'--bin-links=false',
	'--install-strategy=shallow',
	'--ignore-scripts=true',
	'--package-lock=false',
];

export const PACKAGE_ROOT = path.resolve(__dirname, '..');

/**
 * The environment without the `npm_config_*` settings an npm script hands down: run from `npm run`, this
 * project's `.npmrc` (legacy-peer-deps) would otherwise leak into the install and skip the peer n8n would install.
 */
export function cleanNpmEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
	return Object.fromEntries(Object.entries(env).filter(([key]) => !/^npm_/i.test(key)));
}

function run(command: string, args: string[], cwd: string, env?: NodeJS.ProcessEnv): string {
	const result = spawnSync(command, args, { cwd, env: cleanNpmEnv(env), encoding: 'utf8' });
	if (result.status !== 0) {
		throw new Error(`${command} ${args.join(' ')} failed in ${cwd}:\n${result.stdout}\n${result.stderr}`);
	}
	return result.stdout;
}

/** Builds and packs the working copy (or another copy at `root`) into `folder`; returns the tarball's path. */
export function packPackage(folder: string, { build = true, root = PACKAGE_ROOT } = {}): string {
	if (build) run('npm', ['run', 'build'], root);
	mkdirSync(folder, { recursive: true });
	for (const old of readdirSync(folder).filter((name) => name.endsWith('.tgz'))) rmSync(path.join(folder, old));
	run('npm', ['pack', '--silent', '--pack-destination', folder], root);
	const tarball = readdirSync(folder).find((name) => name.endsWith('.tgz'));
	if (!tarball) throw new Error(`npm pack left no tarball in ${folder}`);
	return path.join(folder, tarball);
}

/**
 * Installs a packed tarball into `<userFolder>/.n8n/nodes` as n8n does (its folder holds a bare package.json);
 * `env` picks the npm and Node that run it (n8n runs the npm found on its own PATH). Returns the package's folder.
 */
export function installLikeN8n(userFolder: string, tarball: string, env?: NodeJS.ProcessEnv): string {
	const nodesFolder = path.join(userFolder, '.n8n', 'nodes');
	const installed = path.join(nodesFolder, 'node_modules', PACKAGE_NAME);
	rmSync(installed, { recursive: true, force: true });
	mkdirSync(nodesFolder, { recursive: true });
	const manifest = path.join(nodesFolder, 'package.json');
	if (!existsSync(manifest)) writeFileSync(manifest, `${JSON.stringify({ name: 'installed-nodes', private: true })}\n`);
	run('npm', ['install', ...N8N_INSTALL_ARGS, tarball], nodesFolder, env);
	return installed;
}
