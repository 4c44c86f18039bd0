/* eslint-disable @n8n/community-nodes/no-dangerous-functions, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, no-console -- dev-only code, never shipped (README, Releasing) */
/**
 * `npm run dev`: builds and watches the package, starts the sandbox APIs, and starts a real n8n editor at
 * http://localhost:5678 with this package installed and credentials for the sandbox already created. The example
 * workflows are imported too. n8n itself is installed on first use into a cache folder (see n8nLocal.ts).
 */
import { spawn, spawnSync } from 'node:child_process';

import { describeSandbox, startSandbox } from './sandbox';
import { ensureN8n, PACKAGE_ROOT, prepareUserFolder, startN8n } from './n8nLocal';
import { importSandboxCredentials, importExamples } from './n8nImports';

async function main() {
	if (spawnSync('npm', ['run', 'build'], { cwd: PACKAGE_ROOT, stdio: 'inherit' }).status !== 0) process.exit(1);
	const watcher = spawn('npx', ['tsc', '-p', 'tsconfig.build.json', '--watch', '--preserveWatchOutput'], {
		cwd: PACKAGE_ROOT,
		stdio: 'inherit',
	});
	const sandbox = await startSandbox();
	const bin = ensureN8n();
	const userFolder = prepareUserFolder('dev');
	await importSandboxCredentials(bin, userFolder, sandbox.credentials);
	await importExamples(bin, userFolder);
	console.log(`\n${describeSandbox(sandbox)}\n\nThose credentials are already in n8n as "Kantata OX (sandbox)" and "Moneybird (sandbox)".`);
	console.log('Starting n8n: open http://localhost:5678 (the first start prepares its database, which takes a while).\n');
	const n8n = startN8n(bin, userFolder);
	const stop = () => {
		n8n.kill();
		watcher.kill();
		void sandbox.stop().then(() => process.exit(0));
	};
	process.on('SIGINT', stop);
	n8n.on('exit', stop);
}

void main();
