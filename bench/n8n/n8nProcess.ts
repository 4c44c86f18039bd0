/* eslint-disable @n8n/community-nodes/no-dangerous-functions, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- dev-only code, never shipped (README, Releasing) */
/** Runs the n8n CLI of an install against a user folder, as a child process with n8n's own environment. */
import { spawn } from 'node:child_process';
import net from 'node:net';

import type { N8nInstall } from './installs';

/** A free TCP port on loopback (n8n 2.x starts a task broker per CLI process, on 5679 unless told otherwise). */
export async function freePort(): Promise<number> {
	const server = net.createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as net.AddressInfo;
	await new Promise((resolve) => server.close(resolve));
	return port;
}

export async function n8nEnvironment(n8n: N8nInstall, userFolder: string, extra: Record<string, string> = {}) {
	return {
		...n8n.env,
		N8N_USER_FOLDER: userFolder,
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_RUNNERS_ENABLED: 'false',
		N8N_RUNNERS_BROKER_PORT: String(await freePort()),
		N8N_SECURE_COOKIE: 'false',
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_LOG_LEVEL: 'warn',
		...extra,
	};
}

export interface N8nRun {
	status: number;
	stdout: string;
	stderr: string;
}

/**
 * `n8n <args>` to completion. `nodeArgs` go to Node itself (e.g. `--cpu-prof`). Killed after `timeoutMs`, so a
 * hang ends the benchmark instead of stalling it.
 */
export async function n8nCommand(
	n8n: N8nInstall,
	userFolder: string,
	args: string[],
	{ timeoutMs = 300_000, nodeArgs = [] as string[], env = {} as Record<string, string>, cwd = process.cwd() } = {},
): Promise<N8nRun> {
	const child = spawn(n8n.node, [...nodeArgs, n8n.cli, ...args], { env: await n8nEnvironment(n8n, userFolder, env), cwd });
	const stdout: Buffer[] = [];
	const stderr: Buffer[] = [];
	child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
	child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
	const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
	const status = await new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? 1)));
	clearTimeout(timer);
	return { status, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') };
}

/** Like n8nCommand, but an exit other than 0 is an error carrying n8n's output. */
export async function n8nOk(n8n: N8nInstall, userFolder: string, args: string[], options?: Parameters<typeof n8nCommand>[3]) {
	const run = await n8nCommand(n8n, userFolder, args, options);
	if (run.status !== 0) {
		throw new Error(`n8n ${args.join(' ')} (n8n ${n8n.version}) exited ${run.status}:\n${run.stderr.slice(-4000)}\n${run.stdout.slice(-4000)}`);
	}
	return run;
}
