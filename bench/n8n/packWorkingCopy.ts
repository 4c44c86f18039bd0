/**
 * The packages to benchmark, packed as `npm pack` packs it: this working copy as built, or another one given with
 * `--package=<folder>` (e.g. a worktree holding a candidate change to the nodes), built first.
 */
import path from 'node:path';

import { packPackages } from '../../scripts/communityInstall';
import { PROJECT_ROOT } from '../../test/harness/packages';
import { CACHE } from '../../scripts/n8nLocal';

export function packForBench(root = PROJECT_ROOT): string[] {
	const other = path.resolve(root) !== PROJECT_ROOT;
	return packPackages(path.join(CACHE, 'bench-pack'), { build: other, root: path.resolve(root) });
}
