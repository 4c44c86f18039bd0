import { readdirSync } from 'node:fs';
import path from 'node:path';

import { DateTime } from 'luxon';
import { getGlobalState } from 'n8n-workflow';
import type { IDataObject } from 'n8n-workflow';

import { EXAMPLES_DIR, readExample, runExample } from './harness/examples';
import { nodeType, PACKAGES } from './harness/packages';
import { ADM, byId, INV, kantataFixture, moneybirdFixture, SEED } from './fixtures';
import { KantataState, DEFAULT_TOKEN as KANTATA_TOKEN } from '../sandbox/kantata';
import { DEFAULT_TOKEN as MONEYBIRD_TOKEN } from '../sandbox/moneybird';

const FILES = [
	'sheet-to-moneybird-payments.json',
	'kantata-trigger-to-moneybird.json',
	'kantata-payments-summary-email.json',
	'moneybird-trigger-to-kantata.json',
];

describe('example files', () => {
	const all = readdirSync(EXAMPLES_DIR).filter((name) => name.endsWith('.json'));

	it('include the four docs/examples.md describes', () => {
		expect(all).toEqual(expect.arrayContaining(FILES));
	});

	it.each(all)('%s is an n8n workflow export: nodes with ids and positions, connections, no secrets', (file) => {
		const example = readExample(file);

		expect(example).toMatchObject({ name: expect.any(String), active: false, settings: { executionOrder: 'v1' } });
		const names = example.nodes.map((node) => node.name);
		expect(new Set(names).size).toBe(names.length);
		expect(new Set(example.nodes.map((node) => node.id)).size).toBe(names.length);
		for (const node of example.nodes) {
			expect(node).toMatchObject({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), typeVersion: expect.any(Number), parameters: expect.any(Object) });
			expect(node.position).toEqual([expect.any(Number), expect.any(Number)]);
			// Credentials by name only: the user picks or creates them after importing.
			for (const credential of Object.values(node.credentials ?? {})) expect(credential).toEqual({ name: expect.any(String) });
		}
		for (const [source, outputs] of Object.entries(example.connections)) {
			expect(names).toContain(source);
			for (const target of Object.values(outputs).flat(2)) expect(names).toContain(target?.node);
		}
		const text = JSON.stringify(example);
		expect(text).not.toMatch(/accessToken"\s*:\s*"[^"]|clientSecret|oauthTokenData|password/i);
		// Every node of ours is named by its package's type (`<package>.<node>`), as n8n names installed nodes.
		const ours = example.nodes.filter((node) => PACKAGES.some(({ nodes }) => nodes.some((name) => node.type.endsWith(`.${name}`))));
		expect(ours.length).toBeGreaterThan(0);
		for (const node of ours) expect(node.type).toBe(nodeType(node.type.slice(node.type.lastIndexOf('.') + 1)));
		expect(example.nodes.some((node) => node.type === 'n8n-nodes-base.stickyNote')).toBe(true);
	});

	// The editor draws a node 100 wide from its position and its name below, up to 200 wide and 60 tall; the browser
	// test (npm run test:ui) checks the layout as drawn, this only catches a note moved under a node.
	const sandbox = readdirSync(path.join(EXAMPLES_DIR, 'sandbox')).map((name) => `sandbox/${name}`);
	it.each([...all, ...sandbox])('%s: no node or node name lies on a note', (file) => {
		const { nodes } = readExample(file);
		const isNote = (node: (typeof nodes)[number]) => node.type === 'n8n-nodes-base.stickyNote';
		const covered = nodes.filter(isNote).flatMap((note) => {
			const [x, y] = note.position;
			const { width, height } = note.parameters as { width: number; height: number };
			return nodes
				.filter((node) => !isNote(node))
				.filter(({ position: [nx, ny] }) => nx - 50 < x + width && x < nx + 150 && ny < y + height && y < ny + 160)
				.map((node) => `${node.name} on ${note.name}`);
		});
		expect(covered).toEqual([]);
	});
});

describe('sheet-to-moneybird-payments.json', () => {
	const fx = moneybirdFixture();
	const FILE = 'sheet-to-moneybird-payments.json';
	const MISSING = '458026357029999999';
	const sheet = [
		{ invoice_id: INV, date: '2025-03-01', amount: '121,00', bank_reference: 'BANK-1' },
		{ invoice_id: SEED.invoices.open60, date: '2025-03-02', amount: '60.50', bank_reference: 'BANK-2' },
		{ invoice_id: SEED.invoices.late, date: '2025-03-02', amount: '12.345', bank_reference: 'BANK-3' },
		{ invoice_id: MISSING, date: '2025-03-03', amount: '10.00', bank_reference: '' },
		{ invoice_id: INV, date: '2025-03-01', amount: '121.00', bank_reference: 'BANK-1' },
	];
	const run = (rows: IDataObject[]) =>
		runExample(FILE, {
			inputs: { 'Read payment rows': rows },
			// What a user picks after importing.
			set: { 'Record payment in Moneybird': { administration: byId(ADM) } },
			credentials: { moneybirdApi: { accessToken: MONEYBIRD_TOKEN, baseUrl: fx.api().server.url } },
		});

	it('records each row once, emails the rows that failed, and records nothing twice when run again', async () => {
		const first = await run(sheet);

		expect(first.error).toBeUndefined();
		const recorded = first.output('Record payment in Moneybird').map((item) => item.json);
		expect(recorded.map((json) => json.alreadyRecorded ?? 'error')).toEqual([false, false, 'error', 'error', true]);
		expect(recorded[4].id).toBe(recorded[0].id);
		expect(fx.api().state.paymentsOf(INV)).toEqual([expect.objectContaining({ price: '121.0', transaction_identifier: 'BANK-1' })]);
		expect(fx.api().state.paymentsOf(SEED.invoices.open60)).toEqual([
			expect.objectContaining({ price: '60.5', payment_date: '2025-03-02', transaction_identifier: 'BANK-2' }),
		]);
		expect(fx.api().state.paymentsOf(SEED.invoices.late)).toEqual([]);
		expect(first.output('Not recorded?', 0)).toHaveLength(2);
		expect(first.output('Not recorded?', 1)).toHaveLength(3);
		expect(first.emails).toEqual([
			{
				from: 'n8n@example.com',
				to: 'accounts@example.com',
				subject: '2 bank payment(s) not recorded in Moneybird',
				text: expect.stringContaining('These rows of the payments sheet were not recorded in Moneybird:'),
			},
		]);
		const lines = first.emails[0].text.split('\n').filter((line) => line.startsWith('- '));
		expect(lines).toEqual([
			`- invoice ${SEED.invoices.late}, 2025-03-02, 12.345, BANK-3: Invalid Amount in row 3 (item 2): "12.345" could be 12345.00 or 12.345, so Auto does not read it: if "." separates thousands choose the Amount Format "Comma Decimal (1.234,50)", or if it separates decimals round the amount to cents`,
			`- invoice ${MISSING}, 2025-03-03, 10.00: Moneybird has no external sales invoice ${MISSING} in administration ${ADM} (row 4, item 3)`,
		]);

		const payments = fx.api().state.paymentCount();
		const second = await run(sheet);
		expect(second.output('Record payment in Moneybird').map((item) => item.json.alreadyRecorded ?? 'error')).toEqual([
			true,
			true,
			'error',
			'error',
			true,
		]);
		expect(fx.api().state.paymentCount()).toBe(payments);
		expect(fx.api().state.findDuplicatePayments()).toEqual([]);
		expect(second.emails.map((email) => email.subject)).toEqual(['2 bank payment(s) not recorded in Moneybird']);
	});

	it('sends no email when every row was recorded', async () => {
		const result = await run(sheet.slice(0, 2));

		expect(result.error).toBeUndefined();
		expect(fx.api().state.paymentCount()).toBeGreaterThanOrEqual(2);
		expect(result.ran('List the rows not recorded')).toBe(false);
		expect(result.emails).toEqual([]);
	});
});

describe('kantata-trigger-to-moneybird.json', () => {
	const fx = moneybirdFixture();
	const FILE = 'kantata-trigger-to-moneybird.json';

	/** Kantata OX payments as the trigger outputs them (records as the API returns them). */
	function kantataPayments() {
		const kantata = new KantataState();
		const paid = kantata.addPayment({ workspace_id: '103', amount_in_cents: 12100, message: `MB ${INV}`, created_at: '2025-03-04T09:30:00Z' });
		const other = kantata.addPayment({
			workspace_id: '101',
			amount_in_cents: 6050,
			message: `Invoice WS-1002, MB: ${SEED.invoices.open60}`,
			created_at: '2025-03-05T23:59:59Z',
		});
		const noMessage = kantata.addPayment({ workspace_id: '102', amount_in_cents: 9900, created_at: '2025-03-05T10:00:00Z' });
		const unrelated = kantata.addPayment({ workspace_id: '102', amount_in_cents: 500, message: 'Card payment 4411' });
		return { paid, other, noMessage, unrelated };
	}

	it('records each Kantata OX payment that names a Moneybird invoice on it, once, exactly', async () => {
		const { paid, other, noMessage, unrelated } = kantataPayments();
		const run = async (payments: IDataObject[]) =>
			await runExample(FILE, {
				inputs: { 'New Kantata OX payment': payments },
				set: { 'Record in Moneybird': { administration: byId(ADM) } },
				credentials: { moneybirdApi: { accessToken: MONEYBIRD_TOKEN, baseUrl: fx.api().server.url } },
			});

		// The same payment twice, as a repeated delivery would bring it.
		const first = await run([paid, noMessage, unrelated, other, paid] as unknown as IDataObject[]);

		expect(first.error).toBeUndefined();
		expect(first.output('Names a Moneybird invoice?', 1).map((item) => item.json.id)).toEqual([noMessage.id, unrelated.id]);
		expect(first.output('Record in Moneybird').map((item) => item.json.alreadyRecorded)).toEqual([false, false, true]);
		expect(fx.api().state.paymentsOf(INV)).toEqual([
			expect.objectContaining({ price: '121.0', payment_date: '2025-03-04', transaction_identifier: `kantata-payment-${paid.id}` }),
		]);
		expect(fx.api().state.paymentsOf(SEED.invoices.open60)).toEqual([
			expect.objectContaining({ price: '60.5', payment_date: '2025-03-05', transaction_identifier: `kantata-payment-${other.id}` }),
		]);
		const creates = fx.api().server.requests.filter((r) => r.method === 'POST').map((r) => r.rawBody);
		expect(creates).toEqual([
			`{"payment":{"payment_date":"2025-03-04","price":"121.00","transaction_identifier":"kantata-payment-${paid.id}"}}`,
			`{"payment":{"payment_date":"2025-03-05","price":"60.50","transaction_identifier":"kantata-payment-${other.id}"}}`,
		]);

		const again = await run([paid] as unknown as IDataObject[]);
		expect(again.output('Record in Moneybird').map((item) => item.json.alreadyRecorded)).toEqual([true]);
		expect(fx.api().state.paymentsOf(INV)).toHaveLength(1);
	});
});

describe('kantata-payments-summary-email.json', () => {
	const kantata = kantataFixture();
	const FILE = 'kantata-payments-summary-email.json';
	const today = () => DateTime.now().setZone(getGlobalState().defaultTimezone).startOf('day');
	const run = async () =>
		await runExample(FILE, { credentials: { kantataOxApi: { accessToken: KANTATA_TOKEN, baseUrl: kantata.server.url } } });

	it("emails yesterday's payments per project, totalled to the cent", async () => {
		const at = (day: DateTime, hour: number) => day.plus({ hours: hour }).toUTC().toISO({ suppressMilliseconds: true })!;
		const yesterday = today().minus({ days: 1 });
		// Created After and Created Before are exclusive and to the second: midnight itself belongs to the day it starts.
		kantata.state.addPayment({ workspace_id: '101', amount_in_cents: 1000, created_at: at(yesterday, 0) });
		kantata.state.addPayment({ workspace_id: '103', amount_in_cents: 18050, created_at: at(yesterday, 9) });
		kantata.state.addPayment({ workspace_id: '101', amount_in_cents: 2555, created_at: at(today(), -1 / 3600) });
		kantata.state.addPayment({ workspace_id: '102', amount_in_cents: 7000, created_at: at(yesterday, -1 / 3600) });
		kantata.state.addPayment({ workspace_id: '102', amount_in_cents: 7000, created_at: at(today(), 0) });

		const result = await run();

		expect(result.error).toBeUndefined();
		const [request] = kantata.paymentRequests();
		expect(request.query).toMatchObject({ page: '1', per_page: '200', include: 'workspace' });
		expect(DateTime.fromISO(request.query.created_after).toMillis()).toBe(yesterday.minus({ seconds: 1 }).toMillis());
		expect(DateTime.fromISO(request.query.created_before).toMillis()).toBe(today().toMillis());
		const day = yesterday.toFormat('yyyy-MM-dd');
		expect(result.emails).toEqual([
			{
				from: 'n8n@example.com',
				to: 'accounts@example.com',
				subject: `Kantata OX payments on ${day}: 3`,
				text: `External payments recorded in Kantata OX on ${day}, per project:\n\n- Website relaunch (USD): 2 payment(s), 35.55\n- Website maintenance (EUR): 1 payment(s), 180.50`,
			},
		]);
	});

	it('says so when there were none', async () => {
		const result = await run();

		expect(result.error).toBeUndefined();
		expect(result.emails).toEqual([expect.objectContaining({ subject: expect.stringMatching(/^Kantata OX payments on \S+: 0$/) })]);
		expect(result.emails[0].text).toContain('No payments were recorded.');
	});
});
