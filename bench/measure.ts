/**
 * What every benchmark case shares: the local APIs in their child process (bench/apiProcess.ts) and `ask`, the
 * rounds (medians and ratios are bench/stats.ts), peak RSS, and the table of results each case adds rows to.
 */
import { fork } from 'node:child_process';
import path from 'node:path';

import type { Command } from './apiProcess';

/** The local APIs in a process of their own, so memory figures are the engine's and the node's alone. */
export const api = fork(path.join(__dirname, 'apiProcess.ts'), [], { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
export async function ask<T>(command?: Command): Promise<T> {
	return await new Promise((resolve) => {
		api.once('message', (message) => resolve(message as T));
		if (command) api.send(command);
	});
}

/**
 * Wall-time cases run in rounds, the floor and the node alternating so both meet the same state of a shared
 * machine; one round's ratio swings by ±0.05 on 2 cores. The table gives medians and the range of the ratio
 * (bench/stats.ts).
 */
export const ROUNDS = 5;
export const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

export interface Row {
	case: string;
	measure: string;
	node: string;
	floor: string;
	ratio: string;
	target: string;
	met: boolean;
}
export const rows: Row[] = [];
export function record(row: Omit<Row, 'met'> & { met: boolean }) {
	rows.push(row);
	console.log(`${row.met ? 'ok  ' : 'MISS'} ${row.case} — ${row.measure}: node ${row.node}, floor ${row.floor}, ratio ${row.ratio} (target ${row.target})`);
}

/** Peak RSS growth over a baseline while `work` runs, sampled every 5 ms. */
export async function withPeakRss<T>(work: () => Promise<T>): Promise<{ result: T; growth: number; ms: number }> {
	(global as { gc?: () => void }).gc?.();
	const baseline = process.memoryUsage().rss;
	let peak = baseline;
	const timer = setInterval(() => {
		peak = Math.max(peak, process.memoryUsage().rss);
	}, 5);
	const started = performance.now();
	const result = await work();
	const ms = performance.now() - started;
	clearInterval(timer);
	peak = Math.max(peak, process.memoryUsage().rss);
	return { result, growth: peak - baseline, ms };
}

/** The results as a Markdown table. */
export function table(shown: Row[] = rows): string {
	const header = '| Case | Measure | Node | Floor | Ratio | Target | Met |\n| --- | --- | --- | --- | --- | --- | --- |';
	const lines = shown.map((r) => `| ${r.case} | ${r.measure} | ${r.node} | ${r.floor} | ${r.ratio} | ${r.target} | ${r.met ? 'yes' : 'no'} |`);
	return [header, ...lines].join('\n');
}
