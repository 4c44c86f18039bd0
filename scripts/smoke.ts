/**
 * `npm run smoke [-- --n8n=1|2]`: the built packages in a real n8n of each major (both by default), installed as
 * n8n's Community Nodes installer does. Both together: imports the sandbox tour workflow (both services) and
 * executes it headless (`n8n import:workflow`, `n8n execute --id`) against the sandbox APIs, then checks on the
 * sandbox that the payments were recorded; then runs it again, as a newcomer clicking Execute twice would, and
 * checks that nothing was recorded twice and n8n stored both payments as already recorded. Then each package alone
 * in a user folder of its own: a workflow of its service records payments, and its second run records none.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { outputOf, storedExecutions } from '../test/real-n8n/storedRuns';
import { byId, kantataOx, workflow } from '../test/real-n8n/workflowBuilders';
import type { WorkflowJson } from '../test/real-n8n/workflowBuilders';
import { packPackages } from './communityInstall';
import { importSandboxCredentials, importWorkflow, importWorkflows } from './n8nImports';
import { CACHE, ensureN8n, majorsFromArgs, n8nCommand, prepareUserFolder } from './n8nLocal';
import type { N8nInstall, N8nMajor } from './n8nLocal';
import { PACKAGES, PROJECT_ROOT } from '../test/harness/packages';
import type { RepositoryPackage } from '../test/harness/packages';
import { startSandbox } from './sandbox';

const TOUR = path.join(PROJECT_ROOT, 'examples', 'sandbox', 'sandbox-tour.json');
const SHEET = path.join(PROJECT_ROOT, 'examples', 'sandbox', 'sheet-to-moneybird-payments.json');

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;

/** `n8n execute` of an imported workflow, headless: whether n8n reports it successful, and what it printed. */
async function execute(n8n: N8nInstall, userFolder: string, id: string): Promise<{ succeeded: boolean; output: string }> {
	const { status, output } = await n8nCommand(n8n, userFolder, ['execute', `--id=${id}`]);
	return { succeeded: status === 0 && /Execution was successful/.test(output), output };
}

/** One major against a fresh sandbox: the tour's second run must find exactly what its own first run recorded. */
async function smoke(major: N8nMajor, tarballs: string[]): Promise<boolean> {
	// Free ports: the credentials imported below point at wherever the sandbox listens.
	const sandbox = await startSandbox({ kantata: 0, moneybird: 0 });
	try {
		return await smokeAgainst(major, sandbox, tarballs);
	} finally {
		await sandbox.stop();
	}
}

async function smokeAgainst(major: N8nMajor, sandbox: Sandbox, tarballs: string[]): Promise<boolean> {
	const n8n = ensureN8n(major);
	const userFolder = await prepareUserFolder(n8n, 'smoke', tarballs);
	await importSandboxCredentials(n8n, userFolder, sandbox.credentials);
	const id = await importWorkflow(n8n, userFolder, TOUR, 'sandboxTour');
	const run = async () => {
		const before = sandbox.moneybird.state.paymentCount();
		sandbox.kantata.server.resetLog();
		const { succeeded, output } = await execute(n8n, userFolder, id);
		const recorded = sandbox.moneybird.state.paymentCount() - before;
		const kantataListed = sandbox.kantata.server.requests.some((r) => r.path === '/api/v1/external_payments.json');
		console.log(output.split('\n').slice(-20).join('\n'));
		return { succeeded: succeeded && kantataListed, recorded };
	};
	const first = await run();
	const second = await run();
	const [, again] = storedExecutions(n8n, userFolder, id);
	const marked = again ? outputOf(again, 'Record payment in Moneybird').map((item) => item.json.alreadyRecorded) : [];
	const ok = first.succeeded && first.recorded === 2 && second.succeeded && second.recorded === 0 && marked.join() === 'true,true';
	console.log(
		`\nn8n ${n8n.version}: first run recorded ${first.recorded} Moneybird payments (expected 2); the second recorded ` +
			`${second.recorded} (expected 0) and marked ${JSON.stringify(marked)} already recorded (expected [true,true])`,
	);
	console.log(ok ? `Smoke test passed on n8n ${n8n.version}.` : `Smoke test FAILED on n8n ${n8n.version}.`);
	return ok;
}

/** What each package alone runs: a workflow of its service only, and how many payments its sandbox holds. */
const ALONE: Record<string, { workflow: () => WorkflowJson; payments: (sandbox: Sandbox) => number }> = {
	'kantata-ox': {
		workflow: () =>
			workflow('smokeKantataOx', [
				[
					kantataOx('Record in Kantata OX', {
						operation: 'create',
						project: byId('101'),
						recordFor: 'amount',
						amount: '12.34',
						message: 'Smoke test, Kantata OX alone',
						paymentKey: 'smoke-kantata-ox-alone',
						options: { skipIfAlreadyRecorded: true },
					}),
				],
			]),
		payments: (sandbox) => sandbox.kantata.state.countPayments(),
	},
	moneybird: {
		workflow: () => ({ ...(JSON.parse(readFileSync(SHEET, 'utf8')) as WorkflowJson), id: 'smokeMoneybird' }),
		payments: (sandbox) => sandbox.moneybird.state.paymentCount(),
	},
};

/** One package installed alone: its workflow records payments, the same run again records none. */
async function smokeAlone(major: N8nMajor, pkg: RepositoryPackage, tarball: string): Promise<boolean> {
	const sandbox = await startSandbox({ kantata: 0, moneybird: 0 });
	try {
		const n8n = ensureN8n(major);
		const userFolder = await prepareUserFolder(n8n, `smoke-${pkg.folder}`, [tarball]);
		const installed = readdirSync(path.join(userFolder, '.n8n', 'nodes', 'node_modules')).filter((name) => name.startsWith('n8n-nodes-'));
		await importSandboxCredentials(n8n, userFolder, sandbox.credentials);
		const { workflow: build, payments } = ALONE[pkg.folder];
		const built = build();
		await importWorkflows(n8n, userFolder, [built]);
		const run = async () => {
			const before = payments(sandbox);
			const { succeeded, output } = await execute(n8n, userFolder, built.id);
			if (!succeeded) console.log(output.split('\n').slice(-20).join('\n'));
			return { succeeded, recorded: payments(sandbox) - before };
		};
		const first = await run();
		const second = await run();
		const ok = installed.join() === pkg.name && first.succeeded && first.recorded > 0 && second.succeeded && second.recorded === 0;
		console.log(
			`n8n ${n8n.version}, ${pkg.name} alone (installed: ${installed.join(', ')}): the first run recorded ${first.recorded} ` +
				`payment(s) (expected some), the second ${second.recorded} (expected 0): ${ok ? 'passed' : 'FAILED'}.`,
		);
		return ok;
	} finally {
		await sandbox.stop();
	}
}

async function main(): Promise<number> {
	if (spawnSync('npm', ['run', 'build'], { cwd: PROJECT_ROOT, stdio: 'inherit' }).status !== 0) return 1;
	const tarballs = packPackages(path.join(CACHE, 'pack-smoke'), { build: false });
	const results: boolean[] = [];
	for (const major of majorsFromArgs()) {
		results.push(await smoke(major, tarballs));
		for (const [index, pkg] of PACKAGES.entries()) results.push(await smokeAlone(major, pkg, tarballs[index]));
	}
	return results.every(Boolean) ? 0 : 1;
}

void main().then((code) => process.exit(code));
