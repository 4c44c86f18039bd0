import type { IDataObject } from 'n8n-workflow';

import { requestRunner } from '../shared/routingAdapter';
import type { ServiceApi } from '../shared/serviceApi';
import { deleteOnce } from '../shared/toolCall';
import { describeFailure } from './errorText';
import { listPages } from './pages';
import { readInvoice } from './knownInvoices';
import { findCreated, skipIfAlreadyRecorded } from './recordedPayments';
import { invoiceWebUrl, pathIds } from './records';

export const moneybirdApi: ServiceApi = {
	name: 'Moneybird',
	// Credential types moneybirdApi (token) and moneybirdOAuth2Api, picked by the Authentication parameter.
	credentialPrefix: 'moneybird',
	identifyingFields: [
		{ label: 'invoice', parameter: 'invoice' },
		{ label: 'payment date', parameter: 'paymentDate' },
		{ label: 'amount', parameter: 'amount' },
		{ label: 'transaction identifier', parameter: 'additionalFields.transactionIdentifier' },
		{ label: 'payment', parameter: 'paymentId' },
	],
	describeFailure,
	createdIdOf(body) {
		const id = (body as IDataObject | undefined)?.id;
		return id === undefined || id === null ? undefined : String(id);
	},
	howToCheckCreate(request, sentAt) {
		const { administration, invoice } = pathIds(request.url);
		const payment = (request.body as { payment?: IDataObject } | undefined)?.payment ?? {};
		const where = administration && invoice ? invoiceWebUrl(administration, invoice) : 'the invoice';
		const reference = payment.transaction_identifier ? ` with transaction identifier "${String(payment.transaction_identifier)}"` : '';
		return `Before running this item again, open ${where} in Moneybird and look for a payment of ${String(payment.price)} dated ${String(payment.payment_date)}${reference}, recorded at about ${sentAt.toISOString()}. Run the item again only if it is not there.`;
	},

	findCreated,
};

/** Every Moneybird item request goes through the engine adaptation (routingAdapter.ts); Create and lists also through their exchanges. */
export const runMoneybirdRequest = requestRunner(moneybirdApi);
// Creates one at a time: under Moneybird's 150 requests per 5 minutes more in flight only meet its 429s sooner,
// and each create reads what the ones before it recorded (Skip If Already Recorded).
export const runMoneybirdCreate = requestRunner(moneybirdApi, skipIfAlreadyRecorded, { oneAtATime: true });
export const runMoneybirdList = requestRunner(moneybirdApi, listPages);

/**
 * Delete's runner. As an AI tool, a payment Moneybird does not find is already gone when its invoice is there
 * and lists no payment with its ID (a 404 for a wrong invoice or administration stays an error).
 */
export const runMoneybirdDelete = requestRunner(
	moneybirdApi,
	deleteOnce(async function (request, send) {
		const { payment } = pathIds(request.url);
		const payments = (await readInvoice(this, request, send))?.payments;
		return payment !== undefined && payments !== undefined && !payments.some((recorded) => String(recorded.id) === payment);
	}),
);
