import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { byId, createParameters, errorText, INV, kantataFixture, moneybirdFixture } from './fixtures';
import type { NodeRun, NodeSettings } from './harness/engine';
import { kantataErrorBody } from '../sandbox/kantata';
import type { Fault, RecordedRequest } from '../sandbox/server';

/*
 * Issue 27: every fault at every position. Each fault kind is injected into the create of each row of a small
 * batch, in both services, with and without Retry On Fail, Requests in Parallel and On Error: Continue (using
 * error output), and each run is judged by what the sandbox stored: every row recorded at most once, and every
 * row in the output or on the error output, paired to it; a failed run (no error output) records nothing twice
 * and names the row whose payment may exist.
 */

const kantata = kantataFixture();
const moneybird = moneybirdFixture();

const ROWS = 4;
const rows = Array.from({ length: ROWS }, (_, i) => ({ key: `ROW-${i + 1}`, amount: `${i + 1}.00` }));

/** The row a create request is for, by its Payment Key (Kantata OX) or transaction identifier (Moneybird). */
function rowOfRequest(request: RecordedRequest): number | undefined {
	const body = request.body as { external_payment?: { message?: string }; payment?: { transaction_identifier?: string } } | undefined;
	const key = /\[n8n-key:ROW-(\d+)\]/.exec(body?.external_payment?.message ?? '')?.[1] ?? /^ROW-(\d+)$/.exec(body?.payment?.transaction_identifier ?? '')?.[1];
	return key === undefined ? undefined : Number(key) - 1;
}

/** The row a stored payment is for. */
const rowOfPayment = (payment: IDataObject): number | undefined =>
	rowOfRequest({ body: { external_payment: payment, payment } } as unknown as RecordedRequest);

const kantataRun = async (settings: Settings): Promise<NodeRun> =>
	await kantata.run(
		{
			operation: 'create',
			project: byId('101'),
			recordFor: 'amount',
			amount: '={{ $json.amount }}',
			paymentKey: '={{ $json.key }}',
			options: { skipIfAlreadyRecorded: true },
			requestOptions: { requestsInParallel: settings.parallel },
		},
		{ items: rows, settings: nodeSettings(settings) },
	);

const moneybirdRun = async (settings: Settings): Promise<NodeRun> =>
	await moneybird.run(
		createParameters({
			amount: '={{ $json.amount }}',
			additionalFields: { transactionIdentifier: '={{ $json.key }}' },
			requestOptions: { requestsInParallel: settings.parallel },
		}),
		{ items: rows, settings: nodeSettings(settings) },
	);

interface Settings {
	retry: boolean;
	parallel: number;
	errorOutput: boolean;
}

const nodeSettings = ({ retry, errorOutput }: Settings): NodeSettings => ({
	...(retry ? { retryOnFail: true, maxTries: 3, waitBetweenTries: 10 } : {}),
	...(errorOutput ? { onError: 'continueErrorOutput' } : {}),
});

/** The stored payments, by row. */
function storedByRow(payments: IDataObject[]): Map<number, IDataObject[]> {
	const byRow = new Map<number, IDataObject[]>();
	for (const payment of payments) {
		const row = rowOfPayment(payment);
		expect(row).toBeDefined();
		byRow.set(row!, [...(byRow.get(row!) ?? []), payment]);
	}
	return byRow;
}

const pairedRow = (item: INodeExecutionData) => (item.pairedItem as { item: number } | undefined)?.item;

describe('issue 27: a Kantata OX create recorded but answered {"count":1}', () => {
	it.each([false, true])('Retry On Fail %s: the row is output with its payment, recorded once', async (retry) => {
		let creates = 0;
		kantata.server.injectFaults((r) => r.method === 'POST' && creates++ === 1, {
			kind: 'answerAfterHandling',
			answer: { status: 200, body: { count: 1 } },
		});

		const { items, error } = await kantataRun({ retry, parallel: 1, errorOutput: false });

		expect(error).toBeUndefined();
		const stored = kantata.state.sortedBy('id').map((entry) => entry.payment as unknown as IDataObject);
		expect(stored.map(rowOfPayment)).toEqual([0, 1, 2, 3]);
		expect(items.map(pairedRow)).toEqual([0, 1, 2, 3]);
		expect(items.map((item) => item.json.id)).toEqual(stored.map((payment) => payment.id));
	});
});
