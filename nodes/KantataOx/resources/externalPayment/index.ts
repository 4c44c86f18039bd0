import type { INodeProperties } from 'n8n-workflow';

import { toRecords } from '../../../Kantata/envelope';
import { KANTATA_ID, runKantataDelete, runKantataListRequest, runKantataRequest } from '../../../Kantata/kantataApi';
import { deletedRecord } from '../../../shared/deletedRecord';
import { throughRequestRunner } from '../../../shared/routingAdapter';
import { REPEATED_DELETE, toolDescriptions } from '../../../shared/toolCall';
import { paymentKeyRequest, runKantataCreate } from './alreadyRecorded';
import { createFields, createRequest } from './create';
import { getAllFields, getAllRequest } from './getAll';
import { getOrDeleteFields, paymentUrlRequest } from './getOrDelete';

/**
 * External Payment's operations. Each sends its request through a request runner (throughRequestRunner, see
 * shared/routingAdapter.ts) and builds it in one preSend from its checked parameters.
 */
export const externalPaymentOperations: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['externalPayment'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				action: 'Record an external payment',
				description: 'Record a payment made outside Kantata OX, for an invoice or an amount',
				routing: throughRequestRunner(runKantataCreate, {
					request: { method: 'POST', url: '/external_payments.json' },
					preSend: [createRequest, paymentKeyRequest],
					postReceive: [toRecords],
				}),
			},
			{
				name: 'Delete',
				value: 'delete',
				action: 'Delete an external payment',
				// As an AI tool, a payment already deleted is answered so (shared/toolCall.ts).
				routing: throughRequestRunner(runKantataDelete, {
					request: { method: 'DELETE' },
					preSend: [paymentUrlRequest],
					postReceive: [deletedRecord('paymentId', KANTATA_ID)],
				}),
			},
			{
				name: 'Get',
				value: 'get',
				action: 'Get an external payment',
				routing: throughRequestRunner(runKantataRequest, {
					request: { method: 'GET' },
					preSend: [paymentUrlRequest],
					postReceive: [toRecords],
				}),
			},
			{
				name: 'Get Many',
				value: 'getAll',
				action: 'Get many external payments',
				routing: throughRequestRunner(runKantataListRequest, {
					request: { method: 'GET', url: '/external_payments.json' },
					preSend: [getAllRequest],
					postReceive: [toRecords],
				}),
			},
		],
		default: 'getAll',
	},
];

/** What an AI agent is told each operation does (shared/toolCall.ts), with what a repeated call does. */
export const externalPaymentToolDescriptions = toolDescriptions(externalPaymentOperations[0], 'Kantata OX', {
	create:
		'A repeated call with the same payment key, or without one for the same invoice or amount on the same day, records nothing and returns the payment already recorded (alreadyRecorded: true). For a second, separate payment of the same amount on the same day, pass a payment key of its own.',
	delete: REPEATED_DELETE,
});

export const externalPaymentFields: INodeProperties[] = [...getOrDeleteFields, ...createFields, ...getAllFields];
