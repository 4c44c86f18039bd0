import type { IExecuteSingleFunctions, IHttpRequestOptions, INodeParameterResourceLocator } from 'n8n-workflow';

import { asNodeError } from '../shared/errors';
import { inputCheck } from '../shared/routingAdapter';
import { checkParameter, InvalidValue, inputError, toId } from '../shared/validation';
import { invoiceIdByReference } from './invoiceByReference';
import { noteItemInvoice } from './knownInvoices';
import { MONEYBIRD_ID } from './records';

/** A Moneybird ID as text (see records.ts). */
export const moneybirdId = (value: unknown) => toId(value, MONEYBIRD_ID);

/** The chosen administration and invoice, checked; an invoice given By Reference is found first. */
export async function chosenInvoice(context: IExecuteSingleFunctions): Promise<{ administration: string; invoice: string }> {
	const administration = checkParameter(context, 'administration', 'Administration', moneybirdId);
	// The mode as written (never an expression), so the value itself is evaluated once.
	const mode = (context.getNode().parameters.invoice as INodeParameterResourceLocator | undefined)?.mode;
	if (mode !== 'reference') {
		return { administration, invoice: checkParameter(context, 'invoice', 'External Sales Invoice', moneybirdId) };
	}
	try {
		return { administration, invoice: await invoiceIdByReference(context, administration, context.getNodeParameter('invoice', '', { extractValue: true })) };
	} catch (error) {
		if (error instanceof InvalidValue) throw inputError(context, 'External Sales Invoice', error.message);
		throw asNodeError(context.getNode(), error);
	}
}

/**
 * preSend of each operation: the request path, built only from IDs that passed `toId`, so nothing but digits
 * reaches it. One check for all of them, since one path holds them all. `to` picks the path: the invoice's
 * payments, one payment, or the invoice itself.
 */
export function invoicePath(to: 'payments' | 'payment' | 'invoice') {
	return inputCheck(async function (this: IExecuteSingleFunctions, options: IHttpRequestOptions) {
		const { administration, invoice } = await chosenInvoice(this);
		const invoiceUrl = `/${administration}/external_sales_invoices/${invoice}`;
		if (to === 'invoice') options.url = `${invoiceUrl}.json`;
		else if (to === 'payments') {
			options.url = `${invoiceUrl}/payments.json`;
			noteItemInvoice(this, administration, invoice);
		}
		else options.url = `${invoiceUrl}/payments/${checkParameter(this, 'paymentId', 'Payment ID', moneybirdId)}.json`;
		return options;
	});
}
