/**
 * The floor for the real-n8n cases: plain fetch loops doing the benchmark's two jobs, run as a child process under
 * the same Node as the n8n they are compared with. Prints one JSON line: `{ listMs, listed, createMs, created }`.
 *
 * Usage: node --import tsx bench/n8n/plainLoop.ts <list API URL> <create API URL> <token> <creates>
 */
import { createRows } from './workflows';

async function listAll(apiUrl: string, headers: Record<string, string>): Promise<number> {
	let records = 0;
	for (let page = 1, pages = 1; page <= pages; page++) {
		const response = await fetch(`${apiUrl}/external_payments.json?page=${page}&per_page=200`, { headers });
		const body = (await response.json()) as { results: unknown[]; meta: { page_count: number } };
		records += body.results.length;
		pages = body.meta.page_count;
	}
	return records;
}

async function createEach(apiUrl: string, headers: Record<string, string>, count: number): Promise<number> {
	let created = 0;
	for (const row of createRows(count)) {
		const response = await fetch(`${apiUrl}/external_payments.json`, {
			method: 'POST',
			headers: { ...headers, 'Content-Type': 'application/json' },
			body: JSON.stringify({ external_payment: { workspace_id: '101', amount_in_cents: row.cents } }),
		});
		await response.json();
		if (response.status === 200) created++;
	}
	return created;
}

async function main() {
	const [listUrl, createUrl, token, creates] = process.argv.slice(2);
	const headers = { Authorization: `Bearer ${token}`, Accept: 'application/json' };
	let started = performance.now();
	const listed = await listAll(listUrl, headers);
	const listMs = performance.now() - started;
	started = performance.now();
	const created = await createEach(createUrl, headers, Number(creates));
	const createMs = performance.now() - started;
	console.log(JSON.stringify({ listMs, listed, createMs, created }));
}

void main();
