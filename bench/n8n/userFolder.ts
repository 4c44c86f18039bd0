/* eslint-disable @n8n/community-nodes/no-restricted-imports, no-console -- dev-only code, never shipped (README, Releasing) */
/**
 * A user folder for one major: a copy of an already migrated one (a fresh folder migrates n8n's database for
 * minutes), with this package packed and installed into it as n8n's Community Nodes installer does.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { installLikeN8n } from '../../scripts/communityInstall';
import { CACHE } from './installs';
import type { N8nInstall } from './installs';
import { n8nOk } from './n8nProcess';

/**
 * A folder whose database n8n has migrated, marked `.migrated` (the convention of the real-n8n scripts, which
 * keep one per version in the cache); the benchmark migrates and marks its own when there is none.
 */
async function migratedTemplate(n8n: N8nInstall): Promise<string> {
	const candidates = [`user-template-n8n-${n8n.version}`, `bench-template-n8n-${n8n.version}`];
	const found = candidates.map((name) => path.join(CACHE, name)).find((folder) => existsSync(path.join(folder, '.migrated')));
	if (found) return found;
	const template = path.join(CACHE, candidates[1]);
	rmSync(template, { recursive: true, force: true });
	mkdirSync(template, { recursive: true });
	console.log(`Migrating a user folder for n8n ${n8n.version} (once; minutes)…`);
	await n8nOk(n8n, template, ['list:workflow'], { timeoutMs: 1_200_000 });
	writeFileSync(path.join(template, '.migrated'), new Date().toISOString());
	return template;
}

/** A fresh copy of a migrated folder holding the packed package `tarball`, installed with n8n's arguments. */
export async function benchUserFolder(n8n: N8nInstall, tarball: string): Promise<string> {
	const template = await migratedTemplate(n8n);
	const userFolder = path.join(CACHE, `bench-n8n-${n8n.major}`);
	rmSync(userFolder, { recursive: true, force: true });
	cpSync(template, userFolder, { recursive: true });
	// The copy's packages are replaced by exactly what n8n's installer puts there from the tarball.
	rmSync(path.join(userFolder, '.n8n', 'nodes'), { recursive: true, force: true });
	installLikeN8n(userFolder, tarball, n8n.env);
	return userFolder;
}

function tempFile(name: string, content: unknown): string {
	const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'n8n-bench-')), name);
	writeFileSync(file, JSON.stringify(content));
	return file;
}

/** Imports Kantata OX token credentials, given as `{ id, name, data }`; n8n encrypts them with its own key. */
export async function importCredentials(
	n8n: N8nInstall,
	userFolder: string,
	credentials: Array<{ id: string; name: string; data: ICredentialDataDecryptedObject }>,
): Promise<void> {
	const entries = credentials.map((credential) => ({ ...credential, type: 'kantataOxApi' }));
	await n8nOk(n8n, userFolder, ['import:credentials', `--input=${tempFile('credentials.json', entries)}`]);
}

export async function importWorkflows(n8n: N8nInstall, userFolder: string, workflows: object[]): Promise<void> {
	await n8nOk(n8n, userFolder, ['import:workflow', `--input=${tempFile('workflows.json', workflows)}`]);
}
