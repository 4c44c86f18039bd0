/**
 * bench/results.md holds one section per benchmark script (`npm run bench`, `bench:n8n`, `bench:n8n-profile`, `bench:n8n-parallel`); each script
 * replaces only its own section, between its markers.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const RESULTS_FILE = path.join(__dirname, 'results.md');

export function writeResultsSection(name: string, markdown: string): void {
	const begin = `<!-- ${name}: begin -->`;
	const end = `<!-- ${name}: end -->`;
	const section = `${begin}\n${markdown.trim()}\n${end}`;
	let file = existsSync(RESULTS_FILE) ? readFileSync(RESULTS_FILE, 'utf8') : '# Benchmark results\n';
	const from = file.indexOf(begin);
	const to = file.indexOf(end);
	if (from >= 0 && to > from) file = file.slice(0, from) + section + file.slice(to + end.length);
	else file = `${file.trimEnd()}\n\n${section}\n`;
	writeFileSync(RESULTS_FILE, file);
}
