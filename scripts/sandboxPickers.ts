/**
 * What the editor's pickers show for the sandbox credentials: the nodes' own list-search and load-options methods,
 * run through n8n-core's LoadOptionsContext (as the editor runs them) against the running sandbox. The dev banner
 * prints this, and the browser test checks that the editor shows the same entries.
 */
import type { ICredentialDataDecryptedObject, ILoadOptionsFunctions, INodeListSearchItems, INodePropertyOptions } from 'n8n-workflow';

import { editorContext } from '../test/harness/editor';

export interface PickerEntries {
	/** Kantata OX: the Project picker. */
	projects: INodeListSearchItems[];
	/** Kantata OX: the Invoice picker, per project chosen (value of the project). */
	kantataInvoices: Record<string, INodeListSearchItems[]>;
	/** Moneybird: the Administration picker. */
	administrations: INodeListSearchItems[];
	/** Moneybird, per administration chosen: External Sales Invoice picker, Financial and Ledger Account dropdowns. */
	moneybird: Record<string, { invoices: INodeListSearchItems[]; financialAccounts: INodePropertyOptions[]; ledgerAccounts: INodePropertyOptions[] }>;
}

type Credentials = { kantataOxApi: ICredentialDataDecryptedObject; moneybirdApi: ICredentialDataDecryptedObject };

async function call<T>(type: 'kantataOx' | 'moneybird', credentials: Credentials, parameters: Record<string, unknown>, run: (methods: NonNullable<Awaited<ReturnType<typeof editorContext>>['methods']>, context: ILoadOptionsFunctions) => Promise<T>): Promise<T> {
	const credentialType = type === 'kantataOx' ? 'kantataOxApi' : 'moneybirdApi';
	const { context, methods } = await editorContext({
		type,
		parameters: { authentication: 'accessToken', ...parameters },
		credentials: { [credentialType]: credentials[credentialType] },
	});
	return await run(methods, context as unknown as ILoadOptionsFunctions);
}

const byId = (value: string) => ({ __rl: true, mode: 'id', value });

/** Every entry of every picker (all pages), with nothing typed in its search box. */
export async function pickerEntries(credentials: Credentials): Promise<PickerEntries> {
	const allPages = async (search: (token?: string) => Promise<{ results: INodeListSearchItems[]; paginationToken?: unknown }>) => {
		const results: INodeListSearchItems[] = [];
		let token: string | undefined;
		do {
			const page = await search(token);
			results.push(...page.results);
			token = page.paginationToken === undefined ? undefined : String(page.paginationToken);
		} while (token !== undefined);
		return results;
	};
	const kantata = (parameters: Record<string, unknown>, method: 'searchProjects' | 'searchInvoices') =>
		allPages((token) => call('kantataOx', credentials, { resource: 'externalPayment', operation: 'create', ...parameters }, (m, c) => m.listSearch![method].call(c, undefined, token)));
	const projects = await kantata({}, 'searchProjects');
	const kantataInvoices: PickerEntries['kantataInvoices'] = {};
	for (const project of projects) kantataInvoices[String(project.value)] = await kantata({ project: byId(String(project.value)) }, 'searchInvoices');

	const moneybirdParameters = { resource: 'externalSalesInvoicePayment', operation: 'create' };
	const administrations = await allPages(() =>
		call('moneybird', credentials, moneybirdParameters, (m, c) => m.listSearch!.searchAdministrations.call(c, undefined)),
	);
	const moneybird: PickerEntries['moneybird'] = {};
	for (const administration of administrations) {
		const parameters = { ...moneybirdParameters, administration: byId(String(administration.value)) };
		moneybird[String(administration.value)] = {
			invoices: await allPages((token) => call('moneybird', credentials, parameters, (m, c) => m.listSearch!.searchInvoices.call(c, undefined, token))),
			financialAccounts: await call('moneybird', credentials, parameters, (m, c) => m.loadOptions!.getFinancialAccounts.call(c)),
			ledgerAccounts: await call('moneybird', credentials, parameters, (m, c) => m.loadOptions!.getLedgerAccounts.call(c)),
		};
	}
	return { projects, kantataInvoices, administrations, moneybird };
}

/** The banner's lines for the picker entries: name and ID of each. */
export function describePickers(entries: PickerEntries): string[] {
	const list = (items: Array<{ name: string; value: unknown }>, indent: string) =>
		items.length ? items.map((item) => `${indent}${item.name}  [${String(item.value)}]`) : [`${indent}(none)`];
	const lines = ['What the pickers show (Kantata OX node, Project and Invoice):'];
	for (const project of entries.projects) {
		lines.push(`  Project ${project.name}  [${String(project.value)}], its invoices:`, ...list(entries.kantataInvoices[String(project.value)], '      '));
	}
	lines.push('', 'What the pickers show (Moneybird node, Administration, External Sales Invoice, Financial and Ledger Account):');
	for (const administration of entries.administrations) {
		const lists = entries.moneybird[String(administration.value)];
		lines.push(`  Administration ${administration.name}  [${String(administration.value)}]`);
		lines.push('    unpaid invoices:', ...list(lists.invoices, '      '));
		lines.push('    financial accounts:', ...list(lists.financialAccounts, '      '));
		lines.push('    ledger accounts:', ...list(lists.ledgerAccounts, '      '));
	}
	return lines;
}
