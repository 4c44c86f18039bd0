/** Puts sandbox credentials and the example workflows into a local n8n through its own CLI. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { n8nOk } from './n8nLocal';
import { SANDBOX_EXAMPLES_DIR, SANDBOX_WORKFLOWS } from './sandboxExamples';
import type { N8nInstall } from './n8nLocal';

/** IDs the example workflows are rewritten to, so they run against the sandbox without editing. */
export const SANDBOX_CREDENTIALS = {
	kantataOxApi: { id: 'sandboxKantataOx', name: 'Kantata OX (sandbox)' },
	moneybirdApi: { id: 'sandboxMoneybird', name: 'Moneybird (sandbox)' },
} as const;

export async function importSandboxCredentials(
	n8n: N8nInstall,
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
	await n8nOk(n8n, userFolder, ['import:credentials', `--input=${file}`]);
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
export async function importWorkflow(n8n: N8nInstall, userFolder: string, file: string, id: string): Promise<string> {
	const workflow = JSON.parse(readFileSync(file, 'utf8')) as { nodes: [] };
	await importWorkflows(n8n, userFolder, [{ ...workflow, id }]);
	return id;
}

/** Imports workflows (each with its `id`) in one CLI call: every n8n start-up costs seconds. */
export async function importWorkflows(
	n8n: N8nInstall,
	userFolder: string,
	workflows: Array<{ id: string; nodes: Array<{ credentials?: Record<string, unknown> }> }>,
): Promise<void> {
	const folder = mkdtempSync(path.join(os.tmpdir(), 'n8n-workflows-'));
	// n8n imports the files in name order and lists workflows last updated first: numbered from the end, the
	// first one given is imported last and listed first.
	workflows.forEach((workflow, index) => {
		const order = String(workflows.length - index).padStart(3, '0');
		writeFileSync(path.join(folder, `${order}-${workflow.id}.json`), JSON.stringify(withSandboxCredentials(workflow)));
	});
	await n8nOk(n8n, userFolder, ['import:workflow', '--separate', `--input=${folder}`]);
}

/** Imports the sandbox-ready copies of the examples (`examples/sandbox/`, the tour first) with their fixed IDs. */
export async function importExamples(n8n: N8nInstall, userFolder: string): Promise<void> {
	const workflows = SANDBOX_WORKFLOWS.map(({ id, file }) => ({
		...(JSON.parse(readFileSync(path.join(SANDBOX_EXAMPLES_DIR, file), 'utf8')) as { nodes: [] }),
		id,
	}));
	await importWorkflows(n8n, userFolder, workflows);
}
