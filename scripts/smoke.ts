/* eslint-disable @n8n/community-nodes/no-dangerous-functions, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, no-console -- dev-only code, never shipped (README, Releasing) */
/**
 * `npm run smoke [-- --n8n=1|2]`: the built package in a real n8n of each major (both by default). Installs it as
 * n8n's Community Nodes installer does, imports the sandbox tour workflow and executes it headless
 * (`n8n import:workflow`, `n8n execute --id`) against the sandbox APIs, then checks on the sandbox that the
 * payments were recorded; then runs it again, as a newcomer clicking Execute twice would, and checks that nothing
 * was recorded twice and n8n stored both payments as already recorded.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

import { startSandbox } from './sandbox';
import { ensureN8n, majorsFromArgs, n8nCommand, PACKAGE_ROOT, prepareUserFolder } from './n8nLocal';
import type { N8nMajor } from './n8nLocal';
import { importSandboxCredentials, importWorkflow } from './n8nImports';
import { outputOf, storedExecutions } from '../test/real-n8n/storedRuns';

const TOUR = path.join(PACKAGE_ROOT, 'examples', 'sandbox', 'sandbox-tour.json');

/** One major against a fresh sandbox: the tour's second run must find exactly what its own first run recorded. */
async function smoke(major: N8nMajor): Promise<boolean> {
	// Free ports: the credentials imported below point at wherever the sandbox listens.
	const sandbox = await startSandbox({ kantata: 0, moneybird: 0 });
	try {
		return await smokeAgainst(major, sandbox);
	} finally {
		await sandbox.stop();
	}
}

async function smokeAgainst(major: N8nMajor, sandbox: Awaited<ReturnType<typeof startSandbox>>): Promise<boolean> {
	const n8n = ensureN8n(major);
	const userFolder = await prepareUserFolder(n8n, 'smoke');
	await importSandboxCredentials(n8n, userFolder, sandbox.credentials);
	const id = await importWorkflow(n8n, userFolder, TOUR, 'sandboxTour');
	const run = async () => {
		const before = sandbox.moneybird.state.paymentCount();
		sandbox.kantata.server.resetLog();
		const { status, output } = await n8nCommand(n8n, userFolder, ['execute', `--id=${id}`]);
		const recorded = sandbox.moneybird.state.paymentCount() - before;
		const kantataListed = sandbox.kantata.server.requests.some((r) => r.path === '/api/v1/external_payments.json');
		console.log(output.split('\n').slice(-20).join('\n'));
		return { succeeded: status === 0 && /Execution was successful/.test(output) && kantataListed, recorded };
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

async function main(): Promise<number> {
	if (spawnSync('npm', ['run', 'build'], { cwd: PACKAGE_ROOT, stdio: 'inherit' }).status !== 0) return 1;
	const results: boolean[] = [];
	for (const major of majorsFromArgs()) results.push(await smoke(major));
	return results.every(Boolean) ? 0 : 1;
}

void main().then((code) => process.exit(code));
