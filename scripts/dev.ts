/* eslint-disable @n8n/community-nodes/no-dangerous-functions, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, no-console -- dev-only code, never shipped (README, Releasing) */
/**
 * `npm run dev`: builds and watches the package, starts the sandbox APIs, and starts a real n8n editor at
 * http://localhost:5678 with this package installed, credentials for the sandbox already created and the
 * sandbox-ready examples imported (devEditor.ts). n8n itself is installed on first use into a cache folder
 * (see n8nLocal.ts).
 */
import { spawn, spawnSync } from 'node:child_process';

import { startDevEditor } from './devEditor';
import { majorsFromArgs, PACKAGE_ROOT } from './n8nLocal';
import { describeSandbox } from './sandbox';
import { SANDBOX_WORKFLOWS } from './sandboxExamples';

async function main() {
	if (spawnSync('npm', ['run', 'build'], { cwd: PACKAGE_ROOT, stdio: 'inherit' }).status !== 0) process.exit(1);
	const watcher = spawn('npx', ['tsc', '-p', 'tsconfig.build.json', '--watch', '--preserveWatchOutput'], {
		cwd: PACKAGE_ROOT,
		stdio: 'inherit',
	});
	// `npm run dev -- --n8n=2` for n8n 2.x; 1.x by default.
	const dev = await startDevEditor({
		major: majorsFromArgs()[0],
		beforeStart: async (sandbox) => {
			console.log(`\n${await describeSandbox(sandbox)}\n\nThose credentials are already in n8n as "Kantata OX (sandbox)" and "Moneybird (sandbox)".`);
			console.log(
				`Imported, each ready to run against the sandbox: ${SANDBOX_WORKFLOWS.map(({ file }) => `examples/sandbox/${file}`).join(', ')}.`,
			);
			console.log(
				`Starting n8n: open http://localhost:5678 (the first start prepares its database, which takes a while), then the tour: http://localhost:5678/workflow/${SANDBOX_WORKFLOWS[0].id}\n`,
			);
		},
	});
	const stop = () => {
		watcher.kill();
		void dev.stop().then(() => process.exit(0));
	};
	process.on('SIGINT', stop);
	dev.editor.on('exit', stop);
}

void main();
