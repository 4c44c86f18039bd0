/**
 * The maintainer's identity: two fields of each package's package.json that only the maintainer can fill in
 * (docs/releasing.md), `author.email` and `repository.url`, left empty until then; `homepage` (the package's
 * folder on GitHub) and `bugs` follow from `repository.url`, and `repository.directory` names the package's folder.
 * `npm run release:check` refuses a release while any of them is missing or out of step; `npm run lint` and
 * `npm run scan` let through only the findings that those empty fields cause.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

export interface Manifest {
	version: string;
	author?: { name?: string; email?: string };
	repository?: { type?: string; url?: string; directory?: string };
	homepage?: string;
	bugs?: { url?: string };
}

export function readManifest(root: string): Manifest {
	return JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as Manifest;
}

/** The lint and scanner rules (eslint rule ids) that report an identity field while it is empty. */
export function pendingIdentityRules(manifest: Manifest): Array<{ ruleId: string; field: string }> {
	const pending = [];
	if (!manifest.author?.email) {
		// An empty email is both "missing" (community-nodes) and "still the default" (n8n-nodes-base).
		pending.push({ ruleId: '@n8n/community-nodes/valid-author', field: 'author.email' });
		pending.push({ ruleId: 'n8n-nodes-base/community-package-json-author-email-still-default', field: 'author.email' });
	}
	if (!manifest.repository?.url) {
		// The homepage is the repository's page: it cannot be set before the repository is.
		pending.push({ ruleId: '@n8n/community-nodes/require-homepage', field: 'repository.url' });
	}
	return pending;
}

/**
 * `homepage` (the package folder's README) and `bugs.url` as they follow from a GitHub `repository.url`, or
 * undefined for any other URL.
 */
export function linksFromRepository(url: string, folder: string): { homepage: string; bugs: string } | undefined {
	const match = /^(?:git\+)?https:\/\/github\.com\/([\w.-]+)\/([\w.-]+?)(?:\.git)?$/.exec(url);
	if (!match) return undefined;
	const page = `https://github.com/${match[1]}/${match[2]}`;
	return { homepage: `${page}/tree/main/packages/${folder}#readme`, bugs: `${page}/issues` };
}

/** What stands between the package.json of packages/<folder> and a release, one sentence each; empty when nothing does. */
export function identityProblems(manifest: Manifest, folder: string): string[] {
	const problems: string[] = [];
	if (manifest.repository?.directory !== `packages/${folder}`) {
		problems.push(`package.json "repository.directory" must be "packages/${folder}", not ${JSON.stringify(manifest.repository?.directory)}.`);
	}
	if (!manifest.author?.email) {
		problems.push('package.json "author.email" is empty: set it to the maintainer\'s email address (n8n\'s scanner requires one).');
	}
	const repositoryUrl = manifest.repository?.url;
	if (!repositoryUrl) {
		problems.push(
			'package.json "repository.url" is empty: set it to the public GitHub repository, "https://github.com/OWNER/REPO.git" (npm provenance and n8n\'s scanner read the source from there).',
		);
		return problems;
	}
	const links = linksFromRepository(repositoryUrl, folder);
	if (!links) {
		problems.push(`package.json "repository.url" (${repositoryUrl}) is not a GitHub repository URL of the form https://github.com/OWNER/REPO.git.`);
		return problems;
	}
	if (manifest.homepage !== links.homepage) {
		problems.push(`package.json "homepage" must be "${links.homepage}" (from repository.url), not ${JSON.stringify(manifest.homepage)}.`);
	}
	if (manifest.bugs?.url !== links.bugs) {
		problems.push(`package.json "bugs" must be { "url": "${links.bugs}" } (from repository.url), not ${JSON.stringify(manifest.bugs)}.`);
	}
	return problems;
}
