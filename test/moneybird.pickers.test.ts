import { ADM, byId, errorText, MONEYBIRD_OAUTH_REFRESH_TOKEN, MONEYBIRD_OAUTH_TOKEN, moneybirdFixture, SEED } from './fixtures';
import { DEFAULT_TOKEN } from '../sandbox/moneybird';

const fx = moneybirdFixture();

const WEB = 'https://moneybird.com';
const invoiceUrl = (id: string, administration: string = ADM) => `${WEB}/${administration}/external_sales_invoices/${id}`;

describe('Administration picker', () => {
	it('lists every administration the credential reaches, by name, with its web address', async () => {
		const { listSearch } = await fx.methods({ operation: 'create' });

		expect(await listSearch('searchAdministrations')).toEqual({
			results: [
				{ name: 'Kolibrie Consultancy BV', value: SEED.administrations.second, url: `${WEB}/${SEED.administrations.second}` },
				{ name: 'Parkietje B.V.', value: ADM, url: `${WEB}/${ADM}` },
			],
		});
		const [request] = fx.api().server.requests;
		expect(request).toMatchObject({ method: 'GET', path: '/api/v2/administrations.json', query: {} });
		expect(request.headers.authorization).toBe(`Bearer ${DEFAULT_TOKEN}`);
	});

	it('keeps the names holding the typed filter, ignoring case', async () => {
		const { listSearch } = await fx.methods({ operation: 'create' });
		expect((await listSearch('searchAdministrations', 'PARKIET')).results.map((r) => r.value)).toEqual([ADM]);
	});
});

describe('External sales invoice picker', () => {
	it("lists the administration's unpaid invoices with reference, contact and open amount", async () => {
		const { listSearch } = await fx.methods({ operation: 'create', administration: byId(ADM) });

		expect(await listSearch('searchInvoices')).toEqual({
			results: [
				{ name: 'US-2001 · Acme Inc. · USD 250.00 open', value: SEED.invoices.usd, url: invoiceUrl(SEED.invoices.usd) },
				{ name: 'WS-0999 · Jan Jansen · EUR 99.99 open', value: SEED.invoices.lastYear, url: invoiceUrl(SEED.invoices.lastYear) },
				{ name: 'WS-1001 · Webshop Klant B.V. · EUR 121.00 open', value: SEED.invoices.open121, url: invoiceUrl(SEED.invoices.open121) },
				{ name: 'WS-1002 · Jan Jansen · EUR 60.50 open', value: SEED.invoices.open60, url: invoiceUrl(SEED.invoices.open60) },
				{ name: 'WS-1003 · Webshop Klant B.V. · EUR 1210.00 open (late)', value: SEED.invoices.late, url: invoiceUrl(SEED.invoices.late) },
				{ name: 'WS-1005 · Webshop Klant B.V. · EUR 60.00 open', value: SEED.invoices.partial, url: invoiceUrl(SEED.invoices.partial) },
			],
			paginationToken: undefined,
		});
		const [request] = fx.api().server.requests;
		expect(request).toMatchObject({
			method: 'GET',
			path: `/api/v2/${ADM}/external_sales_invoices.json`,
			query: { filter: 'state:open|late', page: '1', per_page: '100' },
		});
	});

	it('filters by reference, contact or amount as typed', async () => {
		const { listSearch } = await fx.methods({ operation: 'create', administration: byId(ADM) });

		expect((await listSearch('searchInvoices', 'jansen')).results.map((r) => r.value)).toEqual([
			SEED.invoices.lastYear,
			SEED.invoices.open60,
		]);
		expect((await listSearch('searchInvoices', 'usd')).results.map((r) => r.value)).toEqual([SEED.invoices.usd]);
	});

	it('pages on through the Link header until the last page', async () => {
		const added = Array.from({ length: 120 }, (_, i) =>
			fx.api().state.addInvoice({ amount: '10.00', reference: `BULK-${String(i).padStart(3, '0')}`, contactId: SEED.contacts.acme }),
		);
		const { listSearch } = await fx.methods({ operation: 'create', administration: byId(ADM) });

		const first = await listSearch('searchInvoices');
		expect(first.results).toHaveLength(100);
		expect(first.paginationToken).toBe('2');
		const second = await listSearch('searchInvoices', undefined, first.paginationToken as string);
		expect(second.paginationToken).toBeUndefined();

		expect(fx.api().server.requests.map((r) => r.query.page)).toEqual(['1', '2']);
		const listed = [...first.results, ...second.results].map((r) => r.value);
		expect(new Set(listed).size).toBe(126);
		expect(listed).toEqual(expect.arrayContaining([...added, SEED.invoices.open121, SEED.invoices.lastYear]));
	});

	it('lists the invoices of the administration chosen, given by ID or from the list', async () => {
		const { listSearch } = await fx.methods({
			operation: 'delete',
			administration: { __rl: true, mode: 'list', value: SEED.administrations.second, cachedResultName: 'Kolibrie' },
		});

		expect(await listSearch('searchInvoices')).toEqual({
			results: [
				{
					name: 'KB-0001 · Brasserie Kolibrie · EUR 50.00 open',
					value: SEED.invoices.second,
					url: invoiceUrl(SEED.invoices.second, SEED.administrations.second),
				},
			],
			paginationToken: undefined,
		});
	});

	it('asks for an administration first, and never puts anything but an ID into the path', async () => {
		const none = await fx.methods({ operation: 'create' });
		await expect(none.listSearch('searchInvoices')).rejects.toThrow('Choose an Administration first');

		const bad = await fx.methods({ operation: 'create', administration: byId('123/../../administrations') });
		await expect(bad.listSearch('searchInvoices')).rejects.toThrow(/^Invalid Administration: /);
		expect(fx.api().server.requests).toHaveLength(0);
	});

	it('uses the OAuth2 credential, refreshing an expired access token and storing the new one', async () => {
		fx.api().state.expireToken(MONEYBIRD_OAUTH_TOKEN);
		const { listSearch, credentials } = await fx.methods({ operation: 'create', administration: byId(ADM) }, { oAuth2: true });

		expect((await listSearch('searchInvoices')).results).toHaveLength(6);
		const stored = credentials.data.moneybirdOAuth2Api.oauthTokenData as { access_token: string };
		expect(stored.access_token).not.toBe(MONEYBIRD_OAUTH_TOKEN);
		const [first, refresh, second] = fx.api().server.requests;
		expect([first.path, first.headers.authorization]).toEqual([`/api/v2/${ADM}/external_sales_invoices.json`, `Bearer ${MONEYBIRD_OAUTH_TOKEN}`]);
		expect([refresh.method, refresh.path]).toEqual(['POST', '/oauth/token']);
		expect(new URLSearchParams(refresh.rawBody).get('refresh_token')).toBe(MONEYBIRD_OAUTH_REFRESH_TOKEN);
		expect([second.path, second.headers.authorization]).toEqual([`/api/v2/${ADM}/external_sales_invoices.json`, `Bearer ${stored.access_token}`]);
		expect(fx.api().server.requests).toHaveLength(3);
	});
});

describe('Account dropdowns', () => {
	it("Financial Account lists the administration's accounts, named with their number", async () => {
		const { loadOptions } = await fx.methods({ operation: 'create', administration: byId(ADM) });

		expect(await loadOptions('getFinancialAccounts')).toEqual([
			{ name: 'Creditcard 0001', value: SEED.financialAccounts.creditCard, description: 'CreditCardAccount' },
			{ name: 'Zakelijke rekening (NL91ABNA0417164300)', value: SEED.financialAccounts.bank, description: 'BankAccount' },
		]);
		expect(fx.api().server.requests.map((r) => r.path)).toEqual([`/api/v2/${ADM}/financial_accounts.json`]);
	});

	it('Ledger Account lists the active ledger accounts of the administration chosen', async () => {
		fx.api().state.ledgerAccounts.find((a) => a.id === SEED.ledgerAccounts.suspense)!.active = false;
		const main = await fx.methods({ operation: 'create', administration: byId(ADM) });
		expect(await main.loadOptions('getLedgerAccounts')).toEqual([
			{ name: 'Debiteuren (13011)', value: SEED.ledgerAccounts.debtors, description: 'current_assets' },
			{ name: 'Omzet (80001)', value: SEED.ledgerAccounts.revenue, description: 'revenue' },
		]);

		const second = await fx.methods({ operation: 'create', administration: byId(SEED.administrations.second) });
		expect((await second.loadOptions('getLedgerAccounts')).map((o) => o.value)).toEqual([
			SEED.ledgerAccounts.secondDebtors,
			SEED.ledgerAccounts.secondRevenue,
		]);
		expect(fx.api().server.requests.map((r) => r.path)).toEqual([
			`/api/v2/${ADM}/ledger_accounts.json`,
			`/api/v2/${SEED.administrations.second}/ledger_accounts.json`,
		]);
	});

	it('says which scope a token lacks, without showing the token', async () => {
		const token = 'invoices-only-token-5f2a';
		fx.api().state.addToken(token, ['sales_invoices']);
		const { loadOptions } = await fx.methods({ operation: 'create', administration: byId(ADM) }, { accessToken: token });

		const error = await loadOptions('getFinancialAccounts').then(
			() => undefined,
			(e: Error) => e,
		);
		expect(error?.message).toBe('Moneybird refused access: the credential lacks the settings scope');
		expect(errorText(error)).toContain('https://moneybird.com/user/applications/new');
		expect(JSON.stringify(error)).not.toContain(token);
		expect(errorText(error)).not.toContain(token);
	});
});
