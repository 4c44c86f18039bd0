/**
 * n8n's queue mode, its way past one process: Redis (Debian's `redis-server`, on a free loopback port), `n8n start`
 * as main and `n8n worker` processes, all on one user folder (so one database and one encryption key). Main polls
 * triggers and takes webhooks; the workers run the executions. Started and stopped by the test that uses it.
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';

import { freePort, n8nEnvironment } from '../../scripts/n8nLocal';
import type { N8nInstall } from '../../scripts/n8nLocal';
import { waitFor, watchProcess } from './realN8n';

export interface Process {
	name: string;
	output(): string;
	stop(): Promise<void>;
	/** SIGKILL to the process and everything it started (a worker runs in a process group of its own). */
	kill(): void;
}

export interface QueueMode {
	/** Main's port: webhooks and the editor. */
	port: number;
	main: Process;
	workers: Process[];
	/** Every process's output, labelled, for failure messages. */
	output(): string;
	stop(): Promise<void>;
}

/** Debian's redis-server, installed with apt when missing (CI and developers run as root here). */
export function ensureRedis(): string {
	const found = () => spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).stdout.trim();
	if (!found()) {
		const apt = (args: string[]) => spawnSync('apt-get', args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
		apt(['update', '-qq']);
		apt(['install', '-y', '-qq', 'redis-server']);
	}
	const command = found();
	if (!command) throw new Error('redis-server is not installed and apt-get could not install it');
	return command;
}

function watch(name: string, child: ChildProcess, group = false): Process {
	return {
		name,
		...watchProcess(child),
		kill() {
			if (child.exitCode === null && child.signalCode === null) process.kill(group ? -child.pid! : child.pid!, 'SIGKILL');
		},
	};
}

/**
 * Redis, main and `workers` n8n workers (each running up to `concurrency` executions, each in a process group of
 * its own); resolves once all are ready. `env` is added to every n8n process's environment.
 */
export async function startQueueMode(
	n8n: N8nInstall,
	userFolder: string,
	{ workers = 2, concurrency = 2, env: extraEnv = {} as Record<string, string> } = {},
): Promise<QueueMode> {
	const redisPort = await freePort();
	const redis = watch(
		'redis',
		spawn(ensureRedis(), ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'pipe' }),
	);
	const processes: Process[] = [redis];
	const output = () => processes.map((p) => `----- ${p.name} -----\n${p.output().slice(-4000)}`).join('\n');
	const stop = async () => {
		// Workers and main first, so none of them loses Redis while it still has work.
		for (const p of [...processes].reverse()) await p.stop();
	};
	try {
		await waitFor('Redis to accept connections', () => /Ready to accept connections/.test(redis.output()), 30_000, output);
		const queue = {
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: '127.0.0.1',
			QUEUE_BULL_REDIS_PORT: String(redisPort),
			N8N_LOG_LEVEL: 'info',
		};
		const port = await freePort();
		const start = async (name: string, args: string[], extra: Record<string, string>, detached = false) => {
			const env = await n8nEnvironment(n8n, userFolder, { ...queue, ...extraEnv, ...extra });
			const process = watch(name, spawn(n8n.node, [n8n.cli, ...args], { env, stdio: 'pipe', detached }), detached);
			processes.push(process);
			return process;
		};
		const main = await start('main', ['start'], { N8N_PORT: String(port) });
		const started: Process[] = [];
		for (let index = 1; index <= workers; index++) {
			const healthPort = String(await freePort());
			started.push(await start(`worker ${index}`, ['worker', `--concurrency=${concurrency}`], { QUEUE_HEALTH_CHECK_PORT: healthPort }, true));
		}
		await waitFor(
			'main and the workers to be ready',
			() => /Editor is now accessible/.test(main.output()) && started.every((w) => /n8n worker is now ready/.test(w.output())),
			300_000,
			output,
		);
		return { port, main, workers: started, output, stop };
	} catch (error) {
		await stop();
		throw error;
	}
}

/** The worker that ran each execution, read from the workers' own log lines. */
export function workerOfExecutions(mode: QueueMode): Map<string, string> {
	const ran = new Map<string, string>();
	for (const worker of mode.workers) {
		for (const [, id] of worker.output().matchAll(/Worker finished execution (\d+)/g)) ran.set(id, worker.name);
	}
	return ran;
}

/**
 * Waits until main answers for the active webhook at `path`: it registers production webhooks some seconds after
 * the editor is up, and until then answers 404 "not registered". A GET to a POST webhook is refused without running
 * anything once it is registered ("not registered for GET requests"), so probing starts no execution.
 */
export async function waitForWebhook(mode: Pick<QueueMode, 'port' | 'output'>, path: string): Promise<void> {
	let registered = false;
	const deadline = Date.now() + 120_000;
	while (!registered) {
		if (Date.now() > deadline) throw new Error(`webhook ${path} was never registered\n${mode.output()}`);
		const answer = await fetch(`http://127.0.0.1:${mode.port}/webhook/${path}`).catch(() => undefined);
		registered = Boolean(answer && /not registered for GET requests/.test(await answer.text()));
		if (!registered) await new Promise((resolve) => setTimeout(resolve, 500));
	}
}
