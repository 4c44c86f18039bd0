/**
 * `npm run demo`: the built nodes doing their job, run by n8n's own workflow engine against local servers that
 * behave like the Kantata OX and Moneybird APIs (the same ones the tests use). No account, no network.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import '../test/harness/setupEnv';

import { runNode } from '../test/harness/engine';
import { byId } from '../test/harness/resourceLocator';
import { createKantataApi, DEFAULT_TOKEN as KANTATA_TOKEN } from '../sandbox/kantata';
import { createMoneybirdApi, DEFAULT_TOKEN as MONEYBIRD_TOKEN, MONEYBIRD_SEED } from '../sandbox/moneybird';


function show(title: string, items: INodeExecutionData[], columns: string[]) {
	console.log(`\n${title}`);
	console.table(
		items.map((item) =>
			item.json.error !== undefined
				? { error: item.json.error }
				: Object.fromEntries(columns.map((column) => [column, (item.json as IDataObject)[column]])),
		),
	);
}

async function kantataDemo() {
	const { server, state } = createKantataApi();
	await server.start();
	state.seedPayments(12);
	const credentials = { kantataOxApi: { accessToken: KANTATA_TOKEN, baseUrl: server.url } };
	const kantata = async (parameters: IDataObject, items?: IDataObject[], continueOnFail = false) =>
		await runNode({
			type: 'kantataOx',
			parameters: { resource: 'externalPayment', ...parameters },
			credentials,
			items,
			continueOnFail,
		});
	console.log(`\n=== Kantata OX node — local API at ${server.url}`);

	const latest = await kantata({ operation: 'getAll', limit: 3, options: { include: ['workspace'] } });
	show('Get Many, Limit 3, with the project included (one request: limit=3):', latest.items.map((item) => ({
		...item,
		json: { ...item.json, project: (item.json.workspace as IDataObject).title },
	})), ['id', 'project', 'amount_in_cents', 'message', 'created_at']);

	const forInvoice = await kantata({
		operation: 'create',
		project: byId('101'),
		recordFor: 'invoice',
		invoice: byId('1001'),
		message: 'Pays INV-1001 in full',
	});
	show('Create for invoice INV-1001 (the payment takes the invoice amount):', forInvoice.items, [
		'id',
		'workspace_id',
		'invoice_id',
		'amount_in_cents',
		'message',
	]);

	const rows = [
		{ project: '102', amount: '1050,25', note: 'Deposit, Dutch decimal comma' },
		{ project: '102', amount: '99.999', note: 'Three decimals: refused' },
		{ project: '103', amount: 250, note: 'A number from a sheet' },
	];
	const created = await kantata(
		{
			operation: 'create',
			project: byId('={{ $json.project }}'),
			recordFor: 'amount',
			amount: '={{ $json.amount }}',
			message: '={{ $json.note }}',
		},
		rows,
		true,
	);
	show('Create for amounts from three sheet rows (Continue On Fail: the bad row becomes an error item, the rest are recorded):', created.items, [
		'id',
		'workspace_id',
		'amount_in_cents',
		'message',
	]);

	const firstId = String(created.items[0].json.id);
	const deleted = await kantata({ operation: 'delete', paymentId: firstId });
	show(`Delete payment ${firstId}:`, deleted.items, ['id', 'deleted']);
	console.log(`Requests the API received: ${server.requests.length}`);
	await server.stop();
}

async function moneybirdDemo() {
	const api = createMoneybirdApi();
	await api.server.start();
	const administration = MONEYBIRD_SEED.administrations.main;
	const credentials = { moneybirdApi: { accessToken: MONEYBIRD_TOKEN, baseUrl: api.server.url } };
	console.log(`\n=== Moneybird node — local API at ${api.server.url}`);

	const sheet = [
		{ invoice: MONEYBIRD_SEED.invoices.open121, date: '2026-11-02', amount: '121,00', reference: 'BANK-7781' },
		{ invoice: MONEYBIRD_SEED.invoices.open60, date: '2026-11-03', amount: '60.5', reference: 'BANK-7782' },
		{ invoice: MONEYBIRD_SEED.invoices.partial, date: '2026-02-30', amount: '60.00', reference: 'BANK-7783' },
	];
	const created = await runNode({
		type: 'moneybird',
		parameters: {
			resource: 'externalSalesInvoicePayment',
			operation: 'create',
			administration: byId(administration),
			invoice: byId('={{ $json.invoice }}'),
			paymentDate: '={{ $json.date }}',
			amount: '={{ $json.amount }}',
			additionalFields: { transactionIdentifier: '={{ $json.reference }}' },
		},
		credentials,
		items: sheet,
		continueOnFail: true,
	});
	show('Create from a bank-export sheet (18-digit IDs stay text; 30 February is refused before sending):', created.items, [
		'id',
		'invoice_id',
		'payment_date',
		'price',
		'transaction_identifier',
	]);
	console.log(`Requests the API received: ${api.server.requests.length}`);
	await api.server.stop();
}

async function main() {
	await kantataDemo();
	await moneybirdDemo();
}

main().then(
	() => process.exit(0),
	(error: unknown) => {
		console.error(error);
		process.exit(1);
	},
);
