import type { IDataObject, INodePropertyOptions } from 'n8n-workflow';

/*
 * The events the trigger subscribes to (developer.moneybird.com/webhooks/events), named explicitly: the group
 * `payment` would also match payment_method_*, payment_transaction_* and payment_send_email.
 */
export const EVENT_OPTIONS: INodePropertyOptions[] = [
	{ name: 'Payment Registered', value: 'payment_registered', description: 'A payment was registered on an invoice' },
	{ name: 'Payment Deleted', value: 'payment_destroyed', description: 'A payment was deleted from an invoice' },
	{ name: 'External Invoice Paid', value: 'external_sales_invoice_state_changed_to_paid', description: 'An external sales invoice is fully paid' },
	{
		name: 'External Invoice Open Again',
		value: 'external_sales_invoice_state_changed_to_open',
		description: 'An external sales invoice changed to open, e.g. after a payment was deleted',
	},
	{ name: 'External Invoice Late', value: 'external_sales_invoice_state_changed_to_late', description: 'An external sales invoice passed its due date' },
	{
		name: 'External Invoice Uncollectible',
		value: 'external_sales_invoice_state_changed_to_uncollectible',
		description: 'An external sales invoice was changed to uncollectible',
	},
];

export const EVENTS = EVENT_OPTIONS.map((option) => String(option.value));

const PAYMENT_EVENTS = new Set(['payment_registered', 'payment_destroyed']);

/** A delivery's body as Moneybird sends it (developer.moneybird.com/webhooks/payload). */
export interface Delivery {
	administration_id?: unknown;
	webhook_id?: unknown;
	webhook_token?: unknown;
	entity_type?: unknown;
	entity_id?: unknown;
	state?: unknown;
	action?: unknown;
	entity?: unknown;
}

/** An ID as text: Moneybird's IDs have 18 digits, more than a JavaScript number holds. */
export function idText(value: unknown): string | null {
	if (typeof value === 'string') return value;
	if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
	return null;
}

/** A record with every `id` and `…_id` field as text; amounts and everything else as Moneybird sent them. */
export function withIdsAsText(record: IDataObject): IDataObject {
	return Object.fromEntries(
		Object.entries(record).map(([key, value]) => [key, (key === 'id' || key.endsWith('_id')) && value !== null && value !== undefined ? idText(value) ?? String(value) : value]),
	);
}

export function isPaymentEvent(action: string): boolean {
	return PAYMENT_EVENTS.has(action);
}

/** The invoice a delivery is about: the payment's `invoice_id`, or the invoice itself for an invoice event. */
export function invoiceOf(delivery: Delivery): { id: string | null; type: string | null } {
	const entity = (delivery.entity ?? {}) as IDataObject;
	if (isPaymentEvent(String(delivery.action))) {
		return { id: idText(entity.invoice_id), type: typeof entity.invoice_type === 'string' ? entity.invoice_type : null };
	}
	return { id: idText(delivery.entity_id) ?? idText(entity.id), type: typeof delivery.entity_type === 'string' ? delivery.entity_type : null };
}

/** The one item a delivery becomes. */
export function eventItem(delivery: Delivery, deliveryId: string | undefined): IDataObject {
	const action = String(delivery.action);
	const entity = delivery.entity && typeof delivery.entity === 'object' ? withIdsAsText(delivery.entity as IDataObject) : {};
	const invoice = invoiceOf(delivery);
	const item: IDataObject = {
		event: action,
		administrationId: idText(delivery.administration_id),
		invoiceId: invoice.id,
		invoiceType: invoice.type,
	};
	if (isPaymentEvent(action)) item.payment = entity;
	else item.invoice = entity;
	if (typeof delivery.state === 'string') item.state = delivery.state;
	if (deliveryId) item.deliveryId = deliveryId;
	return item;
}
