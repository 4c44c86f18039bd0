/**
 * The Moneybird sandbox's seed: two administrations with contacts, financial and ledger accounts, bank mutations
 * and external sales invoices (open, late, paid, partly paid, foreign currency, last year's, the second
 * administration's). Dates follow the state's clock, so the default period (this year) always holds the open ones.
 */
import type { Administration, Contact, FinancialAccount, FinancialMutation, LedgerAccount } from './records';
import { addDays, maxDate } from './periods';
import type { MoneybirdState } from './state';

export const DEFAULT_TOKEN = 'moneybird-test-token';
export const DEFAULT_REFRESH_TOKEN = 'moneybird-test-refresh-token';

/** IDs of the seeded records (all 18-digit strings, beyond Number.MAX_SAFE_INTEGER). */
export const MONEYBIRD_SEED = {
	userId: '458026357090000001',
	administrations: { main: '458026356994787289', second: '458026357001124865' },
	contacts: {
		webshop: '458026357010000001',
		jansen: '458026357010000002',
		acme: '458026357010000003',
		brussels: '458026357010000004',
	},
	invoices: {
		/** WS-1001, Webshop Klant B.V., 121.00 EUR, open. */
		open121: '458026357020000001',
		/** WS-1002, Jan Jansen, 60.50 EUR, open. */
		open60: '458026357020000002',
		/** WS-1003, Webshop Klant B.V., 1210.00 EUR, late. */
		late: '458026357020000003',
		/** WS-1004, Jan Jansen, 24.20 EUR, paid by one seeded payment. */
		paid: '458026357020000004',
		/** WS-1005, Webshop Klant B.V., 100.00 EUR, open, 40.00 paid (60.0 unpaid). */
		partial: '458026357020000005',
		/** US-2001, Acme Inc., 250.00 USD (229.50 EUR base), open. */
		usd: '458026357020000006',
		/** WS-0999, Jan Jansen, 99.99 EUR, open, dated 15 December of last year (outside the default period). */
		lastYear: '458026357020000007',
		/** KB-0001, Brasserie Kolibrie, 50.00 EUR, open, in the second administration. */
		second: '458026357020000008',
	},
	payments: { paid: '458026357030000001', partial: '458026357030000002' },
	financialAccounts: {
		bank: '458026357040000001',
		creditCard: '458026357040000002',
		secondBank: '458026357040000003',
	},
	ledgerAccounts: {
		debtors: '458026357050000001',
		suspense: '458026357050000002',
		revenue: '458026357050000003',
		secondDebtors: '458026357050000004',
		secondRevenue: '458026357050000005',
	},
	financialMutations: {
		ws1001: '458026357060000001',
		ws1002: '458026357060000002',
		second: '458026357060000003',
	},
} as const;

export function seedMoneybird(state: MoneybirdState): void {
	const S = MONEYBIRD_SEED;
	const t = state.timestamp();
	const year = Number(state.today({ time_zone: 'Europe/Amsterdam' }).slice(0, 4));
	const administration = (
		id: string,
		name: string,
		extra: Partial<Administration>,
	): Administration => ({
		id,
		name,
		language: 'nl',
		currency: 'EUR',
		country: 'NL',
		time_zone: 'Europe/Amsterdam',
		access: 'user',
		suspended: false,
		period_locked_until: null,
		period_start_date: `${year - 3}-01-01`,
		...extra,
	});
	const main = administration(S.administrations.main, 'Parkietje B.V.', {});
	const second = administration(S.administrations.second, 'Kolibrie Consultancy BV', {
		language: 'nl-be',
		country: 'BE',
		time_zone: 'Europe/Brussels',
		access: 'accountant_company',
	});
	state.administrations.push(main, second);

	const contact = (id: string, administrationId: string, c: Partial<Contact>): Contact => ({
		id,
		administrationId,
		company_name: null,
		firstname: null,
		lastname: null,
		customer_id: `customer-${id.slice(-1)}`,
		email: null,
		country: 'NL',
		city: null,
		...c,
	});
	state.contacts.push(
		contact(S.contacts.webshop, main.id, {
			company_name: 'Webshop Klant B.V.',
			email: 'facturen@webshopklant.example',
			city: 'Utrecht',
		}),
		contact(S.contacts.jansen, main.id, { firstname: 'Jan', lastname: 'Jansen', email: 'jan@jansen.example' }),
		contact(S.contacts.acme, main.id, { company_name: 'Acme Inc.', country: 'US', city: 'Springfield' }),
		contact(S.contacts.brussels, second.id, { company_name: 'Brasserie Kolibrie', country: 'BE', city: 'Brussel' }),
	);

	const account = (
		id: string,
		administrationId: string,
		type: string,
		name: string,
		identifier: string,
	): FinancialAccount => ({
		id,
		administration_id: administrationId,
		type,
		name,
		identifier,
		currency: 'EUR',
		provider: null,
		moneybird_account: false,
		active: true,
		created_at: t,
		updated_at: t,
	});
	state.financialAccounts.push(
		account(S.financialAccounts.bank, main.id, 'BankAccount', 'Zakelijke rekening', 'NL91ABNA0417164300'),
		account(S.financialAccounts.creditCard, main.id, 'CreditCardAccount', 'Creditcard 0001', '0001'),
		account(S.financialAccounts.secondBank, second.id, 'BankAccount', 'Zichtrekening', 'BE68539007547034'),
	);

	const ledger = (
		id: string,
		administrationId: string,
		name: string,
		accountType: string,
		accountId: string,
	): LedgerAccount => ({
		id,
		administration_id: administrationId,
		name,
		account_type: accountType,
		account_id: accountId,
		parent_id: null,
		active: true,
		created_at: t,
		updated_at: t,
		allowed_document_types:
			accountType === 'revenue'
				? ['sales_invoice', 'financial_mutation', 'general_journal_document']
				: ['financial_mutation', 'general_journal_document'],
		financial_account_id: null,
	});
	state.ledgerAccounts.push(
		ledger(S.ledgerAccounts.debtors, main.id, 'Debiteuren', 'current_assets', '13011'),
		ledger(S.ledgerAccounts.suspense, main.id, 'Kruisposten', 'current_assets', '10510.02'),
		ledger(S.ledgerAccounts.revenue, main.id, 'Omzet', 'revenue', '80001'),
		ledger(S.ledgerAccounts.secondDebtors, second.id, 'Debiteuren', 'current_assets', '13011'),
		ledger(S.ledgerAccounts.secondRevenue, second.id, 'Omzet', 'revenue', '80001'),
	);

	const today = state.today(main);
	const mutation = (
		id: string,
		administrationId: string,
		accountId: string,
		amount: string,
		message: string,
		contraName: string,
	): FinancialMutation => ({
		id,
		administration_id: administrationId,
		amount,
		code: null,
		date: today,
		message,
		contra_account_name: contraName,
		contra_account_number: 'NL02ABNA0123456789',
		state: 'unprocessed',
		settlement_state: 'settled',
		amount_open: amount,
		sepa_fields: null,
		batch_reference: null,
		financial_account_id: accountId,
		currency: 'EUR',
		original_amount: null,
		created_at: t,
		updated_at: t,
		version: Math.floor(Date.parse(t) / 1000),
		financial_statement_id: (BigInt(id) + 500000n).toString(),
		processed_at: null,
		account_servicer_transaction_id: null,
		payments: [],
		ledger_account_bookings: [],
	});
	state.financialMutations.push(
		mutation(S.financialMutations.ws1001, main.id, S.financialAccounts.bank, '121.0', 'Betaling WS-1001', 'Webshop Klant B.V.'),
		mutation(S.financialMutations.ws1002, main.id, S.financialAccounts.bank, '60.5', 'WS-1002 J. Jansen', 'J. Jansen'),
		mutation(S.financialMutations.second, second.id, S.financialAccounts.secondBank, '50.0', 'KB-0001', 'Brasserie Kolibrie'),
	);

	const I = S.invoices;
	const C = S.contacts;
	const lateDate = maxDate(`${year}-01-01`, addDays(today, -45));
	state.addInvoice({ id: I.open121, reference: 'WS-1001', contactId: C.webshop, amount: '121.00' });
	state.addInvoice({ id: I.open60, reference: 'WS-1002', contactId: C.jansen, amount: '60.50' });
	state.addInvoice({
		id: I.late,
		reference: 'WS-1003',
		contactId: C.webshop,
		amount: '1210.00',
		state: 'late',
		date: lateDate,
		dueDate: addDays(today, -15),
	});
	state.addInvoice({ id: I.paid, reference: 'WS-1004', contactId: C.jansen, amount: '24.20', state: 'paid' });
	state.addInvoice({
		id: I.partial,
		reference: 'WS-1005',
		contactId: C.webshop,
		amount: '100.00',
		paidAmount: '40.00',
	});
	state.addInvoice({
		id: I.usd,
		reference: 'US-2001',
		contactId: C.acme,
		amount: '250.00',
		currency: 'USD',
		amountBase: '229.50',
	});
	state.addInvoice({
		id: I.lastYear,
		reference: 'WS-0999',
		contactId: C.jansen,
		amount: '99.99',
		date: `${year - 1}-12-15`,
		dueDate: `${year - 1}-12-29`,
	});
	state.addInvoice({
		id: I.second,
		administrationId: second.id,
		reference: 'KB-0001',
		contactId: C.brussels,
		amount: '50.00',
	});
	// Fixed ids for the two seeded payments.
	state.invoices.find((i) => i.id === I.paid)!.payments[0].id = S.payments.paid;
	state.invoices.find((i) => i.id === I.partial)!.payments[0].id = S.payments.partial;
}
