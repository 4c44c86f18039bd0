/* eslint-disable @n8n/community-nodes/no-dangerous-functions, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, no-console -- dev-only code, never shipped (README, Releasing) */
/**
 * `npm run smoke`: the built package in a real n8n. Loads it as an installed community package, imports the
 * sandbox tour workflow and executes it headless (`n8n import:workflow`, `n8n execute --id`) against the sandbox
 * APIs, then checks on the sandbox that the payments were recorded.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

import { startSandbox } from './sandbox';
import { ensureN8n, n8nCommand, PACKAGE_ROOT, prepareUserFolder } from './n8nLocal';
import { importSandboxCredentials, importWorkflow } from './n8nImports';

const TOUR = path.join(PACKAGE_ROOT, 'examples', 'sandbox', 'sandbox-tour.json');

async function main(): Promise<number> {
	if (spawnSync('npm', ['run', 'build'], { cwd: PACKAGE_ROOT, stdio: 'inherit' }).status !== 0) return 1;
	const bin = ensureN8n();
	const sandbox = await startSandbox();
	try {
		const userFolder = prepareUserFolder('smoke');
		await importSandboxCredentials(bin, userFolder, sandbox.credentials);
		const id = await importWorkflow(bin, userFolder, TOUR, 'sandboxTour');
		const before = sandbox.moneybird.paymentCount();
		const { status, output } = await n8nCommand(bin, userFolder, ['execute', `--id=${id}`]);
		const recorded = sandbox.moneybird.paymentCount() - before;
		const kantataListed = sandbox.kantata.server.requests.some((r) => r.path === '/api/v1/external_payments.json');
		const ok = status === 0 && /Execution was successful/.test(output) && recorded === 2 && kantataListed;
		console.log(output.split('\n').slice(-40).join('\n'));
		console.log(`\nn8n exit ${status}; Moneybird payments recorded: ${recorded} (expected 2); Kantata listed: ${kantataListed}`);
		console.log(ok ? 'Smoke test passed: the package runs in n8n.' : 'Smoke test FAILED.');
		return ok ? 0 : 1;
	} finally {
		await sandbox.stop();
	}
}

void main().then((code) => process.exit(code));
