import { spawnSync } from 'node:child_process';
import path from 'node:path';

import { identityProblems } from '../scripts/identity';
import { PROJECT_ROOT } from './harness/packages';

const ready = {
	version: '0.2.0',
	author: { name: 'Maintainer', email: 'maintainer@example.com' },
	repository: { type: 'git', url: 'https://github.com/owner/repo.git', directory: 'packages/moneybird' },
	homepage: 'https://github.com/owner/repo/tree/main/packages/moneybird#readme',
	bugs: { url: 'https://github.com/owner/repo/issues' },
};

describe('release:check', () => {
	it('accepts a package whose identity is complete and consistent', () => {
		expect(identityProblems(ready, 'moneybird')).toEqual([]);
	});

	it('names each missing or inconsistent field', () => {
		expect(identityProblems({ ...ready, author: { name: 'Maintainer', email: '' } }, 'moneybird')).toEqual([expect.stringContaining('"author.email" is empty')]);
		expect(identityProblems(ready, 'kantata-ox')).toEqual([
			expect.stringContaining('"repository.directory" must be "packages/kantata-ox"'),
			expect.stringContaining('"homepage" must be "https://github.com/owner/repo/tree/main/packages/kantata-ox#readme"'),
		]);
		expect(identityProblems({ ...ready, bugs: undefined }, 'moneybird')).toEqual([expect.stringContaining('"bugs" must be')]);
	});

	it('refuses the repository as it is: both packages wait on the maintainer, and a tag that is not their version', () => {
		const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'scripts', 'releaseCheck.ts'), '--tag=v9.9.9'], {
			cwd: PROJECT_ROOT,
			encoding: 'utf8',
		});
		expect(result.status).toBe(1);
		for (const folder of ['kantata-ox', 'moneybird']) expect(result.stderr).toContain(`packages/${folder}/package.json "author.email" is empty`);
		expect(result.stderr).toContain("the tag v9.9.9 is not the packages' version");
	}, 60_000);
});
