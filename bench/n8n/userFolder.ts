/**
 * What the benchmark puts into a real n8n's user folder (made by scripts/n8nLocal.ts: a migrated copy with the
 * packed package installed as n8n's installer does): its own Kantata credentials and workflows, imported as they
 * are, since the benchmark's two credentials point at two local servers (no rewriting to the sandbox's).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { n8nOk } from '../../scripts/n8nLocal';
import type { N8nInstall } from '../../scripts/n8nLocal';

/** n8n prints a run's whole data at level info: 10,000 items would be timed as console output. */
export const QUIET = { N8N_LOG_LEVEL: 'warn' };

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
