/**
 * `npm run dev`: builds the packages, starts the sandbox APIs, and starts a real n8n editor with both packages
 * installed, credentials for the sandbox already created and the sandbox-ready examples imported
 * (devEditor.ts), then rebuilds the packages on every change. n8n itself is installed on first use into a cache
 * folder (see n8nLocal.ts).
 *
 * Options: `--port=5678` (n8n's editor), `--kantata-port=4101` and `--moneybird-port=4102` (the sandbox), `--n8n=2`
 * (n8n 2.x; 1.x by default), `--reuse` (keep the n8n folder of the last `--reuse` run, its workflows and
 * executions; otherwise each run gets a folder of its own). A port in use is named and nothing starts. When n8n
 * stops, or on Ctrl-C, everything this started stops too.
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';

import { startDevEditor } from './devEditor';
import type { DevEditor } from './devEditor';
import { PACKAGES, PROJECT_ROOT } from '../test/harness/packages';
import { majorsFromArgs } from './n8nLocal';
import { devPorts, requireFreePorts } from './ports';
import { describeSandbox } from './sandbox';
import { SANDBOX_WORKFLOWS } from './sandboxExamples';

async function main(): Promise<number> {
	const ports = devPorts();
	const reuse = process.argv.includes('--reuse');
	// Before the build and anything else: a busy port is named at once, and nothing starts.
	await requireFreePorts({
		"n8n's editor, --port": ports.n8n,
		'the Kantata OX sandbox, --kantata-port': ports.kantata,
		'the Moneybird sandbox, --moneybird-port': ports.moneybird,
	});
	if (spawnSync('npm', ['run', 'build'], { cwd: PROJECT_ROOT, stdio: 'inherit' }).status !== 0) return 1;
	const url = `http://localhost:${ports.n8n}`;
	const dev: DevEditor = await startDevEditor({
		major: majorsFromArgs()[0],
		port: ports.n8n,
		sandboxPorts: { kantata: ports.kantata, moneybird: ports.moneybird },
		name: reuse ? 'dev' : `dev-${new Date().toISOString().replace(/\D/g, '').slice(0, 14)}`,
		keep: reuse,
		beforeStart: async (sandbox) => {
			console.log(`\n${await describeSandbox(sandbox)}\n\nThose credentials are already in n8n as "Kantata OX (sandbox)" and "Moneybird (sandbox)".`);
			console.log(
				`Imported, each ready to run against the sandbox: ${SANDBOX_WORKFLOWS.map(({ file }) => `examples/sandbox/${file}`).join(', ')}.`,
			);
			console.log(
				`Starting n8n on ${url} (the first start prepares its database, which takes a while; n8n says "Editor is now accessible" when it is ready), then the tour: ${url}/workflow/${SANDBOX_WORKFLOWS[0].id}\n`,
			);
		},
	});
	// Each package is rebuilt on every change once n8n runs; stopped with everything else. tsc runs as a child of
	// its own (not under npx), so stopping the child stops the watcher whatever signal this process got.
	const tsc = require.resolve('typescript/bin/tsc');
	const watchers: ChildProcess[] = PACKAGES.map(({ root }) =>
		spawn(process.execPath, [tsc, '-p', root, '--watch', '--preserveWatchOutput'], { cwd: PROJECT_ROOT, stdio: 'inherit' }),
	);
	return await new Promise<number>((resolve) => {
		const stop = (code: number) => {
			for (const watcher of watchers) watcher.kill();
			void dev.stop().then(() => resolve(code));
		};
		process.once('SIGINT', () => stop(0));
		process.once('SIGTERM', () => stop(0));
		dev.editor.once('exit', (code) => {
			if (code) console.error(`n8n stopped with exit code ${code}.`);
			stop(code ?? 0);
		});
	});
}

main().then(
	(code) => process.exit(code),
	(error: Error) => {
		console.error(`npm run dev: ${error.message}`);
		process.exit(1);
	},
);
