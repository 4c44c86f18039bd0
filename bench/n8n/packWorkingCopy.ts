/* eslint-disable @n8n/community-nodes/no-dangerous-functions, @n8n/community-nodes/no-restricted-imports -- dev-only code, never shipped (README, Releasing) */
/**
 * The package to benchmark, packed as `npm pack` packs it: this working copy by default, or another one given with
 * `--package=<folder>` (e.g. a worktree holding a candidate change to the nodes), built first.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';

import { cleanNpmEnv, PACKAGE_ROOT, packPackage } from '../../scripts/communityInstall';
import { CACHE } from './installs';

export function packForBench(root = PACKAGE_ROOT): string {
	const folder = path.join(CACHE, 'bench-pack');
	if (path.resolve(root) === PACKAGE_ROOT) return packPackage(folder, { build: false });
	for (const args of [['run', 'build'], ['pack', '--silent', '--pack-destination', folder]]) {
		if (args[0] === 'pack') {
			mkdirSync(folder, { recursive: true });
			for (const old of readdirSync(folder).filter((name) => name.endsWith('.tgz'))) rmSync(path.join(folder, old));
		}
		const result = spawnSync('npm', args, { cwd: root, env: cleanNpmEnv(), encoding: 'utf8' });
		if (result.status !== 0) throw new Error(`npm ${args.join(' ')} failed in ${root}:\n${result.stdout}\n${result.stderr}`);
	}
	const tarball = readdirSync(folder).find((name) => name.endsWith('.tgz'));
	if (!tarball) throw new Error(`npm pack left no tarball in ${folder}`);
	return path.join(folder, tarball);
}
