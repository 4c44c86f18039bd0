import type { IExecuteSingleFunctions } from 'n8n-workflow';

import { InvalidValue, isEmpty } from '../../../shared/validation';

interface ManualPaymentAction {
	name: string;
	value: string;
	description: string;
	/** The Additional Fields entry Moneybird needs with this action. */
	needs?: { parameter: string; label: string; field: string };
}

const FINANCIAL_ACCOUNT = { parameter: 'financialAccountId', label: 'Financial Account', field: 'financial_account_id' };

export const MANUAL_PAYMENT_ACTIONS: ManualPaymentAction[] = [
	{
		name: 'Balance Settlement',
		value: 'balance_settlement',
		description: 'Settle against the balance of a ledger account. Needs Ledger Account.',
		needs: { parameter: 'ledgerAccountId', label: 'Ledger Account', field: 'ledger_account_id' },
	},
	{
		name: 'Bank Transfer',
		value: 'bank_transfer',
		description: 'Paid by a bank transaction already in Moneybird. Needs Financial Mutation ID.',
		needs: { parameter: 'financialMutationId', label: 'Financial Mutation ID', field: 'financial_mutation_id' },
	},
	{
		name: 'Cash Payment',
		value: 'cash_payment',
		description: 'Paid in cash. Needs Financial Account (the cash register).',
		needs: FINANCIAL_ACCOUNT,
	},
	{
		name: 'Invoices Settlement',
		value: 'invoices_settlement',
		description: 'Settle against another document, such as a credit invoice. Needs Invoice ID.',
		needs: { parameter: 'invoiceId', label: 'Invoice ID', field: 'invoice_id' },
	},
	{
		name: 'Payment Without Proof',
		value: 'payment_without_proof',
		description: 'Paid, without a bank transaction to show for it. Needs no other field.',
	},
	{
		name: 'Private Payment',
		value: 'private_payment',
		description: 'Paid from or into a private account. Needs Financial Account.',
		needs: FINANCIAL_ACCOUNT,
	},
	{
		name: 'Rounding Error',
		value: 'rounding_error',
		description: 'Write off a small difference. Needs no other field.',
	},
];

/** The action, refused when it is not one Moneybird knows or when the field it needs is not set. */
export function manualPaymentAction(value: unknown, context: IExecuteSingleFunctions): string {
	const action = MANUAL_PAYMENT_ACTIONS.find((known) => known.value === value);
	if (!action) {
		throw new InvalidValue(
			`"${String(value)}" is not one of ${MANUAL_PAYMENT_ACTIONS.map((known) => known.value).join(', ')}`,
		);
	}
	const companion = action.needs && context.getNodeParameter(`additionalFields.${action.needs.parameter}`, '');
	if (action.needs && isEmpty(companion)) {
		throw new InvalidValue(
			`${action.name} (${action.value}) needs ${action.needs.label} (${action.needs.field}), which is not set; add it under Additional Fields or choose another action`,
		);
	}
	return action.value;
}
