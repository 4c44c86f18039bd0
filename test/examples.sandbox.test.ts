/**
 * The sandbox-ready copies in examples/sandbox/ (what `npm run dev` imports): each runs as it is, with no
 * parameter set by the test, against the sandbox `npm run dev` starts (with seedExampleData), and does its job.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';

import type { IDataObject } from 'n8n-workflow';

import { SANDBOX_CREDENTIALS } from '../scripts/n8nImports';
import { startSandbox } from '../scripts/sandbox';
import { SANDBOX_WORKFLOWS, TRIGGER_EXAMPLE_INVOICE, seedExampleData } from '../scripts/sandboxExamples';
import { EXAMPLES_DIR, readExample, runExample } from './harness/examples';

let sandbox: Awaited<ReturnType<typeof startSandbox>>;
let newest: IDataObject;
beforeEach(async () => {
	sandbox = await startSandbox({ kantata: 0, moneybird: 0 });
	newest = seedExampleData(sandbox, 'America/New_York') as unknown as IDataObject;
});
afterEach(async () => await sandbox.stop());

const run = (file: string, inputs?: Record<string, IDataObject[]>) =>
	runExample(`sandbox/${file}`, { credentials: sandbox.credentials, ...(inputs && { inputs }) });
const outputOf = (result: Awaited<ReturnType<typeof run>>, node: string, index = 0) => result.output(node, index).map((item) => item.json);

describe('examples/sandbox', () => {
	const originals = readdirSync(EXAMPLES_DIR).filter((name) => name.endsWith('.json'));

	it('holds the tour and a copy of each example, each imported by npm run dev', () => {
		const files = readdirSync(path.join(EXAMPLES_DIR, 'sandbox')).filter((name) => name.endsWith('.json'));
		expect(files.sort()).toEqual(['sandbox-tour.json', ...originals].sort());
		expect(SANDBOX_WORKFLOWS.map(({ file }) => file).sort()).toEqual(files.sort());
		expect(SANDBOX_WORKFLOWS[0].file).toBe('sandbox-tour.json');
	});

	it.each(SANDBOX_WORKFLOWS.map(({ file }) => file))('%s: credentials by the IDs dev creates, nothing left to pick, a note', (file) => {
		const example = readExample(`sandbox/${file}`);
		const sandboxIds = Object.values(SANDBOX_CREDENTIALS).map(({ id }) => id);
		for (const node of example.nodes) {
			for (const [type, credential] of Object.entries(node.credentials ?? {})) {
				expect(credential).toEqual(SANDBOX_CREDENTIALS[type as keyof typeof SANDBOX_CREDENTIALS]);
				expect(sandboxIds).toContain(credential.id);
			}
			// Only nodes that run here: no Google Sheets, no email sent.
			expect(['n8n-nodes-base.googleSheets', 'n8n-nodes-base.emailSend']).not.toContain(node.type);
			const administration = node.parameters.administration as { value?: string } | undefined;
			if (administration) expect(administration.value).toMatch(/^\d{18}$/);
		}
		expect(example.nodes.some((node) => node.type === 'n8n-nodes-base.stickyNote')).toBe(true);
	});
});

describe('sandbox copies run as they are', () => {
	it('the tour records both bank rows once; a second run marks both alreadyRecorded', async () => {
		const first = await run('sandbox-tour.json');
		expect(first.error).toBeUndefined();
		expect(outputOf(first, 'Record payment in Moneybird').map((json) => json.alreadyRecorded)).toEqual([false, false]);
		expect(outputOf(first, 'Latest Kantata OX payments')).toHaveLength(5);
		const payments = sandbox.moneybird.state.paymentCount();
		const second = await run('sandbox-tour.json');
		expect(outputOf(second, 'Record payment in Moneybird').map((json) => json.alreadyRecorded)).toEqual([true, true]);
		expect(sandbox.moneybird.state.paymentCount()).toBe(payments);
	});

	it("the daily summary shows yesterday's two sandbox payments per project, the email as text", async () => {
		const result = await run('kantata-payments-summary-email.json');
		expect(result.error).toBeUndefined();
		const [email] = outputOf(result, 'Email the summary (shown, not sent)');
		expect(email).toMatchObject({ from: 'n8n@example.com', to: 'accounts@example.com', subject: expect.stringMatching(/^Kantata OX payments on \S+: 2$/) });
		expect(email.text).toMatch(/:\n\n- Website maintenance \(EUR\): 1 payment\(s\), 180\.50\n- Website relaunch \(USD\): 1 payment\(s\), 1250\.00$/);
	});

	it('the trigger copy records the newest Kantata OX payment on the Moneybird invoice its message names, once', async () => {
		// What the trigger's manual run outputs: the newest payment.
		const first = await run('kantata-trigger-to-moneybird.json', { 'New Kantata OX payment': [newest] });
		expect(first.error).toBeUndefined();
		expect(outputOf(first, 'Record in Moneybird')).toEqual([
			expect.objectContaining({ invoice_id: TRIGGER_EXAMPLE_INVOICE, price: '60.0', alreadyRecorded: false }),
		]);
		const second = await run('kantata-trigger-to-moneybird.json', { 'New Kantata OX payment': [newest] });
		expect(outputOf(second, 'Record in Moneybird').map((json) => json.alreadyRecorded)).toEqual([true]);
	});

	it('the sheet copy records its two good rows, shows the email listing the bad one, and records nothing twice', async () => {
		const first = await run('sheet-to-moneybird-payments.json');
		expect(first.error).toBeUndefined();
		expect(outputOf(first, 'Record payment in Moneybird').map((json) => json.alreadyRecorded ?? 'error')).toEqual([false, false, 'error']);
		const [email] = outputOf(first, 'Email the accountant (shown, not sent)');
		expect(email.subject).toBe('1 bank payment(s) not recorded in Moneybird');
		expect(email.text).toContain('- invoice 458026357020000006, 2026-11-12, 12.345, BANK-9003: Invalid Amount in row 3 (item 2)');
		const payments = sandbox.moneybird.state.paymentCount();
		const second = await run('sheet-to-moneybird-payments.json');
		expect(outputOf(second, 'Record payment in Moneybird').map((json) => json.alreadyRecorded ?? 'error')).toEqual([true, true, 'error']);
		expect(sandbox.moneybird.state.paymentCount()).toBe(payments);
	});
});
