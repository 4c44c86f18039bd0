/**
 * `npm run bench:n8n-parallel -- --profile`: one run of a contender under `node --cpu-prof` (200 µs), split by
 * bench/n8n/cpuProfile.ts into what the n8n process did while the node ran, as time per item. With requests in
 * parallel, "waiting for the API" is the time the process had nothing to do: the rest is CPU time that bounds it.
 */
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { CACHE, n8nOk } from '../../scripts/n8nLocal';
import type { N8nInstall } from '../../scripts/n8nLocal';
import { splitProfile } from './cpuProfile';
import type { Contender } from './parallelWorkflows';
import { storedRunData } from './runData';
import { QUIET } from './userFolder';

export interface ParallelProfile {
	n8n: N8nInstall;
	contender: Contender;
	load: number;
	/** executionTime under the profiler. */
	executionMs: number;
	split: ReturnType<typeof splitProfile>;
}

export async function profileContender(n8n: N8nInstall, userFolder: string, contender: Contender, clear: () => void): Promise<ParallelProfile> {
	const dir = path.join(CACHE, 'bench-profiles', `parallel-n8n-${n8n.major}-${contender.id}`);
	rmSync(dir, { recursive: true, force: true });
	mkdirSync(dir, { recursive: true });
	clear();
	const load = os.loadavg()[0];
	await n8nOk(n8n, userFolder, ['execute', `--id=${contender.id}`], {
		nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--cpu-prof-interval=200'],
		env: QUIET,
		timeoutMs: 600_000,
	});
	const task = storedRunData(n8n, userFolder, contender.id)[contender.node]?.[0];
	const file = readdirSync(dir).find((name) => name.endsWith('.cpuprofile'));
	if (!task || !file) throw new Error(`profile of ${contender.label}: no run data or no profile in ${dir}`);
	return { n8n, contender, load, executionMs: task.executionTime, split: splitProfile(path.join(dir, file)) };
}

/** A markdown table: the profiled runs side by side, per item, roles over 20 µs an item in some run. */
export function profileTable(profiles: ParallelProfile[], items: number): string {
	const perItem = (ms = 0) => `${((ms * 1000) / items).toFixed(0)} µs`;
	const columns = profiles.map((p) => `n8n ${p.n8n.version}, ${p.contender.label}`);
	const roles = [...new Set(profiles.flatMap((p) => [...p.split.byRole.keys()]))]
		.filter((role) => profiles.some((p) => ((p.split.byRole.get(role) ?? 0) * 1000) / items >= 20))
		.sort((a, b) => Math.max(...profiles.map((p) => p.split.byRole.get(b) ?? 0)) - Math.max(...profiles.map((p) => p.split.byRole.get(a) ?? 0)));
	const line = (label: string, value: (p: ParallelProfile) => string) => `| ${label} | ${profiles.map(value).join(' | ')} |`;
	return [
		`| Per item (${items} creates, 50 ms an answer, one profiled run) | ${columns.join(' | ')} |`,
		`| --- | ${columns.map(() => '---:').join(' | ')} |`,
		line('1-minute load at the run', (p) => p.load.toFixed(1)),
		line('executionTime under the profiler', (p) => perItem(p.executionMs)),
		line('sampled (RoutingNode.runNode to the last sample in this package)', (p) => perItem(p.split.windowMs)),
		...roles.map((role) => line(`— ${role}`, (p) => perItem(p.split.byRole.get(role)))),
	].join('\n');
}

/** The functions with the most self time, per item, for the console. */
export function topFunctions(profile: ParallelProfile, items: number, count = 25): string[] {
	return [...profile.split.byFunction]
		.sort((a, b) => b[1] - a[1])
		.slice(0, count)
		.map(([name, ms]) => `  ${`${((ms * 1000) / items).toFixed(0)} µs`.padStart(8)}  ${name}`);
}
