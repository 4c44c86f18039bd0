/**
 * One real n8n of a major for a test file: installed (cached), a fresh user folder copied from the migrated
 * template with the packed package installed as n8n's Community Nodes installer does, the sandbox APIs running in
 * this process with credentials for them imported, and the workflows the tests registered imported in one call.
 */
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';

import { packPackages } from '../../scripts/communityInstall';
import { importSandboxCredentials, importWorkflows } from '../../scripts/n8nImports';
import { CACHE, ensureN8n, freePort, n8nCommand, prepareUserFolder, startN8n } from '../../scripts/n8nLocal';
import type { CommandResult, N8nInstall, N8nMajor } from '../../scripts/n8nLocal';
import { startSandbox } from '../../scripts/sandbox';
import type { StoredExecution } from './storedRuns';
import { storedExecutions } from './storedRuns';
import type { WorkflowJson } from './workflowBuilders';

export type Sandbox = Awaited<ReturnType<typeof startSandbox>>;

export interface RealN8n {
	n8n: N8nInstall;
	userFolder: string;
	sandbox: Sandbox;
	/** `n8n execute --id` to its end; the execution n8n stored for it. */
	execute(workflowId: string): Promise<CommandResult & { execution: StoredExecution }>;
	executions(workflowId: string): StoredExecution[];
	/** `n8n start` with `workflowId` active; resolves once n8n runs (stop it with `stop`). */
	startActive(workflowId: string): Promise<RunningN8n>;
}

export interface RunningN8n {
	output(): string;
	stop(): Promise<void>;
}

/**
 * Registers the fixture's hooks; `real()` is usable inside tests and their hooks. `name` names the user folder
 * (and, other than the default, its own pack folder), so test files that run at the same time do not share them.
 */
export function realN8nFixture(major: N8nMajor, name = 'real-n8n') {
	const builders: Array<(sandbox: Sandbox) => WorkflowJson> = [];
	let current: RealN8n | undefined;
	const running = new Set<RunningN8n>();

	beforeAll(async () => {
		const n8n = ensureN8n(major);
		// The package as users get it: packed from the build `npm run test:n8n` made, then installed by n8n's rules.
		const tarballs = packPackages(path.join(CACHE, name === 'real-n8n' ? 'pack' : `pack-${name}`), { build: false });
		const userFolder = await prepareUserFolder(n8n, name, tarballs);
		const sandbox = await startSandbox({ kantata: 0, moneybird: 0 });
		current = fixture(n8n, userFolder, sandbox, running);
		await importSandboxCredentials(n8n, userFolder, sandbox.credentials);
		await importWorkflows(n8n, userFolder, builders.map((build) => build(sandbox)));
	});

	afterAll(async () => {
		for (const process of running) await process.stop();
		await current?.sandbox.stop();
	});

	return {
		/** Adds a workflow (built once the sandbox runs) to the import; returns its ID. */
		workflow(id: string, build: (sandbox: Sandbox) => WorkflowJson): string {
			builders.push((sandbox) => ({ ...build(sandbox), id }));
			return id;
		},
		real(): RealN8n {
			if (!current) throw new Error('the real n8n is prepared in beforeAll');
			return current;
		},
	};
}

function fixture(n8n: N8nInstall, userFolder: string, sandbox: Sandbox, running: Set<RunningN8n>): RealN8n {
	const executions = (workflowId: string) => storedExecutions(n8n, userFolder, workflowId);
	return {
		n8n,
		userFolder,
		sandbox,
		executions,
		async execute(workflowId) {
			const result = await n8nCommand(n8n, userFolder, ['execute', `--id=${workflowId}`]);
			// The suite talks to loopback only: a failed name lookup means n8n reached for a host outside.
			if (/ENOTFOUND|EAI_AGAIN/.test(result.output)) throw new Error(`n8n looked up a host:\n${result.output}`);
			const stored = executions(workflowId);
			if (stored.length !== 1) throw new Error(`expected one stored execution of ${workflowId}:\n${result.output}`);
			return { ...result, execution: stored[0] };
		},
		async startActive(workflowId) {
			await activate(n8n, userFolder, workflowId);
			const process = await startN8n(n8n, userFolder, { port: await freePort(), stdio: 'pipe' });
			const watched = watchProcess(process);
			const started: RunningN8n = {
				output: watched.output,
				async stop() {
					running.delete(started);
					await watched.stop();
				},
			};
			running.add(started);
			return started;
		},
	};
}

/** Marks the workflow active in the database, so that `n8n start` activates it. */
export async function activate(n8n: N8nInstall, userFolder: string, workflowId: string): Promise<void> {
	const args = n8n.major === 1 ? ['update:workflow', `--id=${workflowId}`, '--active=true'] : ['publish:workflow', `--id=${workflowId}`];
	const { status, output } = await n8nCommand(n8n, userFolder, args);
	if (status !== 0) throw new Error(`n8n ${args.join(' ')} failed:\n${output}`);
}

/** A started process's output so far, and a stop that ends it and waits for its exit. */
export function watchProcess(child: ChildProcess): RunningN8n {
	let output = '';
	child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
	child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
	const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
	return {
		output: () => output,
		async stop() {
			if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
			await exited;
		},
	};
}

/** Waits until `check` holds, polling; fails naming `what` (and `context()`) after `timeoutMs`. */
export async function waitFor(what: string, check: () => boolean, timeoutMs: number, context = () => ''): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!check()) {
		if (Date.now() > deadline) throw new Error(`Gave up waiting for ${what} after ${timeoutMs} ms\n${context()}`);
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
}
