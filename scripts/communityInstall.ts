/**
 * The packages as users get them: each packed with `npm pack` and installed into a user folder's `.n8n/nodes`
 * with the arguments n8n's Community Nodes installer uses. Whatever npm then puts beside a package (the peer
 * `n8n-workflow`, or nothing) is what the nodes run with in the field; a link to the working copy would hide it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { PACKAGES, PROJECT_ROOT } from '../test/harness/packages';

/** n8n's own `npm install` arguments for a community package (CommunityPackagesService, 1.x and 2.x). */
export const N8N_INSTALL_ARGS = [
	'--audit=false',
	'--fund=false',
	'--bin-links=false',
	'--install-strategy=shallow',
	'--ignore-scripts=true',
	'--package-lock=false',
];

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

/**
 * Builds the working copy (or another copy at `root`) and packs each of its packages into `folder`; returns the
 * tarballs' paths, one per package (test/harness/packages.js) in their order.
 */
export function packPackages(folder: string, { build = true, root = PROJECT_ROOT } = {}): string[] {
	if (build) run('npm', ['run', 'build'], root);
	mkdirSync(folder, { recursive: true });
	for (const old of readdirSync(folder).filter((name) => name.endsWith('.tgz'))) rmSync(path.join(folder, old));
	return PACKAGES.map(({ folder: packageFolder }) => {
		const packed = run('npm', ['pack', '--silent', '--pack-destination', folder], path.join(root, 'packages', packageFolder)).trim();
		const tarball = path.join(folder, packed.split('\n').pop() ?? '');
		if (!packed || !existsSync(tarball)) throw new Error(`npm pack in packages/${packageFolder} left no tarball in ${folder}`);
		return tarball;
	});
}

/**
 * Installs packed tarballs into `<userFolder>/.n8n/nodes` as n8n does, one install per package as its Community
 * Nodes installer makes them (the folder holds a bare package.json); `env` picks the npm and Node that run it (n8n
 * runs the npm found on its own PATH). What the folder held before goes first, so only these are there.
 */
export function installLikeN8n(userFolder: string, tarballs: string[], env?: NodeJS.ProcessEnv): void {
	const nodesFolder = path.join(userFolder, '.n8n', 'nodes');
	rmSync(path.join(nodesFolder, 'node_modules'), { recursive: true, force: true });
	mkdirSync(nodesFolder, { recursive: true });
	writeFileSync(path.join(nodesFolder, 'package.json'), `${JSON.stringify({ name: 'installed-nodes', private: true })}\n`);
	for (const tarball of tarballs) run('npm', ['install', ...N8N_INSTALL_ARGS, tarball], nodesFolder, env);
}
