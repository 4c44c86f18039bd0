/**
 * What `npm run dev` starts, without the build and its watcher: the sandbox APIs (with what the examples need),
 * a user folder with this package installed as n8n installs it, the sandbox credentials (fixed IDs) and the
 * sandbox-ready examples imported, and `n8n start`. The browser test (`npm run test:ui`) starts the same on free
 * ports.
 */
import type { ChildProcess } from 'node:child_process';

import { importExamples, importSandboxCredentials } from './n8nImports';
import { ensureN8n, prepareUserFolder, startN8n } from './n8nLocal';
import type { N8nInstall, N8nMajor } from './n8nLocal';
import { requireFreePorts } from './ports';
import { startSandbox } from './sandbox';
import { seedExampleData } from './sandboxExamples';

export interface DevEditor {
	n8n: N8nInstall;
	userFolder: string;
	sandbox: Awaited<ReturnType<typeof startSandbox>>;
	editor: ChildProcess;
	url: string;
	stop(): Promise<void>;
}

export interface DevEditorOptions {
	major?: N8nMajor;
	/** n8n's port (5678 for `npm run dev`). */
	port?: number;
	/** The sandbox's ports (0: free ones). */
	sandboxPorts?: { kantata: number; moneybird: number };
	/** The user folder's name under the cache's runs/ (made anew unless `keep`). */
	name?: string;
	/** Keep an existing user folder of that name (its workflows and executions), installing only the package anew. */
	keep?: boolean;
	/** n8n's output: to this terminal, or piped for the caller. */
	stdio?: 'inherit' | 'pipe';
	/** Printed before n8n starts (the banner), given the sandbox. */
	beforeStart?: (sandbox: DevEditor['sandbox']) => Promise<void> | void;
}

export async function startDevEditor({
	major = 1,
	port = 5678,
	sandboxPorts = { kantata: 4101, moneybird: 4102 },
	name = 'dev',
	keep = false,
	stdio = 'inherit',
	beforeStart,
}: DevEditorOptions = {}): Promise<DevEditor> {
	// n8n's port first: a busy one would otherwise show only after minutes of preparation, or not at all.
	await requireFreePorts({ "n8n's editor, --port": port });
	const sandbox = await startSandbox(sandboxPorts);
	let editor: ChildProcess;
	let n8n: N8nInstall;
	let userFolder: string;
	let started = false;
	try {
		seedExampleData(sandbox, process.env.GENERIC_TIMEZONE);
		n8n = ensureN8n(major);
		userFolder = await prepareUserFolder(n8n, name, undefined, { keep });
		await importSandboxCredentials(n8n, userFolder, sandbox.credentials);
		await importExamples(n8n, userFolder);
		await beforeStart?.(sandbox);
		editor = await startN8n(n8n, userFolder, { port, stdio });
		started = true;
	} finally {
		// Nothing left running when n8n could not be started.
		if (!started) await sandbox.stop();
	}
	const exited = new Promise<void>((resolve) => editor.once('exit', () => resolve()));
	return {
		n8n,
		userFolder,
		sandbox,
		editor,
		url: `http://localhost:${port}`,
		async stop() {
			if (editor.exitCode === null && editor.signalCode === null) editor.kill('SIGTERM');
			await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 15_000))]);
			if (editor.exitCode === null && editor.signalCode === null) editor.kill('SIGKILL');
			await sandbox.stop();
		},
	};
}
