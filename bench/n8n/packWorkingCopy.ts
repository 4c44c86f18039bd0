/* eslint-disable @n8n/community-nodes/no-restricted-imports -- dev-only code, never shipped (README, Releasing) */
/**
 * The package to benchmark, packed as `npm pack` packs it: this working copy as built, or another one given with
 * `--package=<folder>` (e.g. a worktree holding a candidate change to the nodes), built first.
 */
import path from 'node:path';

import { PACKAGE_ROOT, packPackage } from '../../scripts/communityInstall';
import { CACHE } from '../../scripts/n8nLocal';

export function packForBench(root = PACKAGE_ROOT): string {
	const other = path.resolve(root) !== PACKAGE_ROOT;
	return packPackage(path.join(CACHE, 'bench-pack'), { build: other, root: path.resolve(root) });
}
