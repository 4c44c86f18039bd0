/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- dev-only code, never shipped (README, Releasing) */
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
import { SANDBOX_PORTS, startSandbox } from './sandbox';
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
	/** The user folder's name under the cache's runs/ (each is made anew). */
	name?: string;
	/** n8n's output: to this terminal, or piped for the caller. */
	stdio?: 'inherit' | 'pipe';
	/** Printed before n8n starts (the banner), given the sandbox. */
	beforeStart?: (sandbox: DevEditor['sandbox']) => Promise<void> | void;
}

export async function startDevEditor({
	major = 1,
	port = 5678,
	sandboxPorts = SANDBOX_PORTS,
	name = 'dev',
	stdio = 'inherit',
	beforeStart,
}: DevEditorOptions = {}): Promise<DevEditor> {
	const sandbox = await startSandbox(sandboxPorts);
	seedExampleData(sandbox, process.env.GENERIC_TIMEZONE);
	const n8n = ensureN8n(major);
	const userFolder = await prepareUserFolder(n8n, name);
	await importSandboxCredentials(n8n, userFolder, sandbox.credentials);
	await importExamples(n8n, userFolder);
	await beforeStart?.(sandbox);
	const editor = await startN8n(n8n, userFolder, { port, stdio });
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
