import type { IDataObject, ILoadOptionsFunctions, INodeListSearchItems, INodePropertyOptions } from 'n8n-workflow';

import { chosenAdministration, listChoices } from './listSearch';

const financialAccountChoice = (account: IDataObject): INodeListSearchItems => {
	const name = String(account.name);
	const identifier = account.identifier ? String(account.identifier) : '';
	return {
		name: identifier && !name.includes(identifier) ? `${name} (${identifier})` : name,
		value: String(account.id),
		description: account.type ? String(account.type) : undefined,
	};
};

const ledgerAccountChoice = (account: IDataObject): INodeListSearchItems => ({
	name: account.account_id ? `${String(account.name)} (${String(account.account_id)})` : String(account.name),
	value: String(account.id),
	description: account.account_type ? String(account.account_type) : undefined,
});

/** Bank accounts, cash registers and the like of the chosen administration (Moneybird lists active ones only). */
export async function getFinancialAccounts(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	return await listChoices(this, `/${chosenAdministration(this)}/financial_accounts.json`, financialAccountChoice);
}

/** Ledger accounts of the chosen administration; inactive ones cannot be booked to, so they are left out. */
export async function getLedgerAccounts(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	return await listChoices(this, `/${chosenAdministration(this)}/ledger_accounts.json`, ledgerAccountChoice, {
		keep: (account) => account.active !== false,
	});
}
