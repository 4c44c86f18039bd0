/* eslint-disable @n8n/community-nodes/no-restricted-imports -- dev-only code, never shipped (README, Releasing) */
/** Puts sandbox credentials and the example workflows into a local n8n through its own CLI. */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { n8nCommand, PACKAGE_ROOT } from './n8nLocal';

/** IDs the example workflows are rewritten to, so they run against the sandbox without editing. */
export const SANDBOX_CREDENTIALS = {
	kantataOxApi: { id: 'sandboxKantataOx', name: 'Kantata OX (sandbox)' },
	moneybirdApi: { id: 'sandboxMoneybird', name: 'Moneybird (sandbox)' },
} as const;

async function run(bin: string, userFolder: string, args: string[]): Promise<string> {
	const { status, output } = await n8nCommand(bin, userFolder, args);
	if (status !== 0) throw new Error(`n8n ${args.join(' ')} failed:\n${output}`);
	return output;
}

export async function importSandboxCredentials(
	bin: string,
	userFolder: string,
	credentials: Record<keyof typeof SANDBOX_CREDENTIALS, ICredentialDataDecryptedObject>,
): Promise<void> {
	const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'n8n-credentials-')), 'credentials.json');
	// n8n's import encrypts credential data given as a plain object with the instance's own key.
	const entries = Object.entries(SANDBOX_CREDENTIALS).map(([type, { id, name }]) => ({
		id,
		name,
		type,
		data: credentials[type as keyof typeof SANDBOX_CREDENTIALS],
	}));
	writeFileSync(file, JSON.stringify(entries));
	await run(bin, userFolder, ['import:credentials', `--input=${file}`]);
}

/** A workflow file with every credential of this package's types pointed at the sandbox credentials. */
export function withSandboxCredentials(workflow: { nodes: Array<{ credentials?: Record<string, unknown> }> }) {
	for (const node of workflow.nodes) {
		for (const type of Object.keys(node.credentials ?? {})) {
			const sandbox = SANDBOX_CREDENTIALS[type as keyof typeof SANDBOX_CREDENTIALS];
			if (sandbox) node.credentials![type] = sandbox;
		}
	}
	return workflow;
}

/** Imports a workflow file (credentials pointed at the sandbox) and returns its ID. */
export async function importWorkflow(bin: string, userFolder: string, file: string, id: string): Promise<string> {
	const workflow = withSandboxCredentials(JSON.parse(readFileSync(file, 'utf8')) as { nodes: [] });
	const copy = path.join(mkdtempSync(path.join(os.tmpdir(), 'n8n-workflow-')), path.basename(file));
	writeFileSync(copy, JSON.stringify({ ...workflow, id }));
	await run(bin, userFolder, ['import:workflow', `--input=${copy}`]);
	return id;
}

export async function importExamples(bin: string, userFolder: string): Promise<void> {
	const folder = path.join(PACKAGE_ROOT, 'examples');
	for (const [index, file] of readdirSync(folder).filter((name) => name.endsWith('.json')).entries()) {
		await importWorkflow(bin, userFolder, path.join(folder, file), `example${index + 1}`);
	}
}
