/**
 * The Kantata OX sandbox's request handler: auth, then the route table; payments.ts answers external payments,
 * this file `users/me` and the pickers (workspaces, invoices). Any error thrown as an HttpError is the answer.
 */
import { ok } from '../server';
import type { ApiResponse, RecordedRequest } from '../server';
import { authenticate } from './auth';
import { createPayment, deletePayment, listPayments, showPayment } from './payments';
import { parseList, parsePaging, singleMeta } from './query';
import { envelope, find, HttpError, kantataError } from './responses';
import type { KantataState } from './state';

export const API_PREFIX = '/api/v1';

export function handleKantata(state: KantataState, request: RecordedRequest): ApiResponse {
	try {
		const userId = authenticate(state, request);
		return route(state, request, userId);
	} catch (error) {
		if (error instanceof HttpError) return error.response;
		throw error;
	}
}

function route(state: KantataState, request: RecordedRequest, userId: string): ApiResponse {
	const { method } = request;
	const path = request.path.startsWith(API_PREFIX + '/') ? request.path.slice(API_PREFIX.length).replace(/\.json$/, '') : '';
	const [, collection, id, extra] = path.split('/');
	const one = id !== undefined && extra === undefined && id !== '';
	const all = id === undefined;

	if (collection === 'external_payments') {
		if (all && method === 'GET') return listPayments(state, request.query);
		if (all && method === 'POST') return createPayment(state, request, userId);
		if (one && method === 'GET') return showPayment(state, id, request.query);
		if (one && method === 'DELETE') return deletePayment(state, id);
	}
	if (method === 'GET') {
		if (collection === 'users' && id === 'me' && extra === undefined) {
			const user = state.users.get(userId) ?? { id: userId, full_name: `User ${userId}`, email_address: '' };
			return ok(envelope('users', [user], singleMeta()));
		}
		if (collection === 'workspaces' && all) return listWorkspaces(state, request.query);
		if (collection === 'invoices' && all) return listInvoices(state, request.query);
		if (collection === 'workspaces' && one) {
			return ok(envelope('workspaces', [find(state.workspaces, id, 'Workspace')], singleMeta()));
		}
		if (collection === 'invoices' && one) {
			return ok(envelope('invoices', [find(state.invoices, id, 'Invoice')], singleMeta()));
		}
	}
	return kantataError(404, 'system', `No route matches [${method}] "${request.path}"`);
}

function listWorkspaces(state: KantataState, query: Record<string, string>): ApiResponse {
	const window = parsePaging(query);
	const search = query.search?.trim().toLowerCase();
	const only = parseList(query.only);
	const matching = byNumericId([...state.workspaces.values()]).filter(
		(w) => (!search || w.title.toLowerCase().includes(search)) && (!only || only.includes(w.id)),
	);
	return ok(envelope('workspaces', window.take(matching), window.meta(matching.length)));
}

function listInvoices(state: KantataState, query: Record<string, string>): ApiResponse {
	const window = parsePaging(query);
	const workspaceId = query.workspace_id;
	const only = parseList(query.only);
	const matching = byNumericId([...state.invoices.values()]).filter(
		(i) => (!workspaceId || i.workspace_ids.includes(workspaceId)) && (!only || only.includes(i.id)),
	);
	return ok(envelope('invoices', window.take(matching), window.meta(matching.length)));
}

function byNumericId<T extends { id: string }>(records: T[]): T[] {
	return records.sort((a, b) => Number(a.id) - Number(b.id) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
