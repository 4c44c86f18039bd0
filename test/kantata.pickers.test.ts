import type { ILoadOptionsFunctions } from 'n8n-workflow';

import { editorContext } from './harness/editor';
import { byId, kantataFixture } from './fixtures';

const kantata = kantataFixture();

async function search(method: 'searchProjects' | 'searchInvoices', parameters: Record<string, unknown>, filter?: string, token?: string) {
	const { context, methods } = await editorContext({
		type: 'kantataOx',
		parameters: { authentication: 'accessToken', resource: 'externalPayment', ...parameters },
		credentials: kantata.credentials.token(),
	});
	return await methods.listSearch![method].call(context as unknown as ILoadOptionsFunctions, filter, token);
}

describe('Kantata OX pickers', () => {
	it('lists projects matching the typed text, with links', async () => {
		const { results, paginationToken } = await search('searchProjects', { operation: 'create' }, 'website');
		expect(results).toEqual([
			{ name: 'Website maintenance', value: '103', url: 'https://app.mavenlink.com/workspaces/103' },
			{ name: 'Website relaunch', value: '101', url: 'https://app.mavenlink.com/workspaces/101' },
		]);
		expect(paginationToken).toBeUndefined();
		expect(kantata.server.requests[0].query).toEqual({ search: 'website', page: '1', per_page: '50' });
	});

	it('pages through many projects by token', async () => {
		for (let i = 0; i < 60; i++) kantata.state.addWorkspace({ id: String(500 + i), title: `Client ${i}` });
		const first = await search('searchProjects', { operation: 'create' });
		expect(first.results).toHaveLength(50);
		expect(first.paginationToken).toBe('2');
		const second = await search('searchProjects', { operation: 'create' }, undefined, String(first.paginationToken));
		expect(second.results).toHaveLength(13);
		expect(second.paginationToken).toBeUndefined();
	});

	it("Create's invoice picker lists only the invoices Create accepts", async () => {
		const { results } = await search('searchInvoices', { operation: 'create', project: byId('101') });
		// Create lists only the invoices it accepts: pending, not draft, of this project alone (1010 spans two).
		expect(results).toEqual([{ name: 'INV-1001 (pending)', value: '1001', url: 'https://app.mavenlink.com/invoices/1001' }]);
		expect(kantata.server.requests[0].query.workspace_id).toBe('101');
	});

	it("Get Many's invoice filter lists every invoice of the project, whatever its state", async () => {
		const { results } = await search('searchInvoices', { operation: 'getAll', filters: { project: byId('101') } });
		expect(results.map((r) => r.name)).toEqual(['INV-1001 (pending)', 'INV-1002 (draft)', 'INV-1003 (paid)', 'INV-1010 (pending)']);
	});

	it('filters invoices by the typed text', async () => {
		const { results } = await search('searchInvoices', { operation: 'getAll', filters: { project: byId('101') } }, 'draft');
		expect(results.map((r) => r.value)).toEqual(['1002']);
	});

	it('says plainly when the credential is rejected', async () => {
		const { context, methods } = await editorContext({
			type: 'kantataOx',
			parameters: { operation: 'create' },
			credentials: { kantataOxApi: { accessToken: 'wrong', baseUrl: kantata.server.url } },
		});
		await expect(methods.listSearch!.searchProjects.call(context as unknown as ILoadOptionsFunctions)).rejects.toThrow(
			'Kantata OX rejected the credential: Invalid OAuth 2 Request',
		);
	});
});
