/**
 * `npm run release:check`: fails, saying what to fill in, while a package's maintainer identity is not in its
 * package.json (docs/releasing.md), or the packages' versions differ, or (given `--tag=<tag>`, as the publish
 * workflow does) the tag is not their version. The publish workflow runs it first, so nothing is published without it.
 */
import { identityProblems, readManifest } from './identity';
import { PACKAGES } from '../test/harness/packages';

const tag = process.argv.find((arg) => arg.startsWith('--tag='))?.slice('--tag='.length);
const problems = PACKAGES.flatMap(({ folder, root }) => identityProblems(readManifest(root), folder).map((problem) => `packages/${folder}/${problem}`));
const versions = new Set(PACKAGES.map(({ root }) => readManifest(root).version));
if (versions.size !== 1) problems.push(`the packages are released together, with one version; their package.json files say ${[...versions].join(' and ')}.`);
const [version] = versions;
if (tag !== undefined && tag.replace(/^v/, '') !== version) problems.push(`the tag ${tag} is not the packages' version ${version}.`);
if (problems.length > 0) {
	console.error('Not ready to release (docs/releasing.md):');
	for (const problem of problems) console.error(`- ${problem}`);
	process.exit(1);
}
console.log(`Ready to release ${PACKAGES.map(({ name }) => `${name}@${version}`).join(' and ')}: author.email, repository, homepage and bugs are set.`);
