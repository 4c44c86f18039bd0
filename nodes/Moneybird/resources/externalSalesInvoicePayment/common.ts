import type { IExecuteSingleFunctions, IHttpRequestOptions } from 'n8n-workflow';

import { inputCheck } from '../../../shared/routingAdapter';
import { checkParameter, toId } from '../../../shared/validation';
import { MONEYBIRD_ID } from '../../records';

export const show = (operation: string[]) => ({ show: { resource: ['externalSalesInvoicePayment'], operation } });

export const moneybirdId = (value: unknown) => toId(value, MONEYBIRD_ID);

/**
 * preSend of each operation: the request path, built only from IDs that passed `toId`, so nothing but digits
 * reaches it. One check for all of them, since one path holds them all.
 */
export function paymentPath(withPaymentId: boolean) {
	return inputCheck(async function (this: IExecuteSingleFunctions, options: IHttpRequestOptions) {
		const administration = checkParameter(this, 'administration', 'Administration', moneybirdId);
		const invoice = checkParameter(this, 'invoice', 'External Sales Invoice', moneybirdId);
		const payments = `/${administration}/external_sales_invoices/${invoice}/payments`;
		options.url = withPaymentId
			? `${payments}/${checkParameter(this, 'paymentId', 'Payment ID', moneybirdId)}.json`
			: `${payments}.json`;
		return options;
	});
}
