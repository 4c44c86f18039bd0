/* eslint-disable @n8n/community-nodes/no-restricted-globals, no-console -- dev-only code, never shipped (README, Releasing) */
/**
 * `npm run release:check`: fails, saying what to fill in, while the maintainer's identity is not in package.json
 * (README, Releasing). The publish workflow runs it first, so nothing is published without it.
 */
import { PACKAGE_ROOT } from './communityInstall';
import { identityProblems, readManifest } from './identity';

const problems = identityProblems(readManifest(PACKAGE_ROOT));
if (problems.length > 0) {
	console.error('Not ready to release (README, Releasing):');
	for (const problem of problems) console.error(`- ${problem}`);
	process.exit(1);
}
console.log('Ready to release: author.email, repository.url, homepage and bugs are set.');
