import { spawnSync } from 'node:child_process';
import { readlinkSync } from 'node:fs';
import path from 'node:path';

import { linkedSources, packageSources } from '../scripts/packages';
import { PACKAGES, PROJECT_ROOT } from './harness/packages';

/**
 * Each package folder's sources are links into nodes/ and credentials/ (scripts/packages.ts): committed, so the
 * source n8n's scanner reads at the published commit is the package's. `npm run build` makes them; this fails
 * when the committed ones differ from what the package's nodes import (a new file not yet committed, say).
 */
describe.each(PACKAGES)('packages/$folder', (pkg) => {
	it('commits a link to each file its nodes and credentials use, and no other', () => {
		const git = spawnSync('git', ['ls-files', '-s', '--', 'nodes', 'credentials'], { cwd: pkg.root, encoding: 'utf8' });
		expect(git.status).toBe(0);
		const committed = git.stdout
			.trim()
			.split('\n')
			.map((line) => /^(\d+) \S+ \d+\t(.+)$/.exec(line)!)
			// git names them from where it runs: the package folder.
			.map(([, mode, file]) => ({ mode, file }));
		// 120000: a symbolic link, as git records one.
		expect(committed.filter(({ mode }) => mode !== '120000')).toEqual([]);
		expect(committed.map(({ file }) => file).sort()).toEqual(packageSources(pkg));
	});

	it('each link points at the repository file of the same path', () => {
		const linked = linkedSources(pkg);
		expect(linked).toEqual(packageSources(pkg));
		for (const file of linked) {
			expect(path.resolve(path.dirname(path.join(pkg.root, file)), readlinkSync(path.join(pkg.root, file)))).toBe(path.join(PROJECT_ROOT, file));
		}
	});
});
