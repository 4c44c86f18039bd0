/**
 * The browser test's trigger checks: each trigger example switched on in the editor as a newcomer does, payments
 * made in the sandbox, one execution per payment seen in n8n, and nothing left behind when switched off.
 */
import { outputOf } from '../test/real-n8n/storedRuns';
import { equal } from './uiRun';
import type { UiRun } from './uiRun';

const PAYMENTS = 2;

/** The Moneybird Trigger example: each payment that completes an invoice invoiced from Kantata OX is mirrored there. */
export async function moneybirdTriggerSwitchedOn(ui: UiRun, workflowId: string): Promise<string> {
	const { moneybird, kantata, credentials } = ui.dev.sandbox;
	const webhooksBefore = moneybird.state.webhooks.webhooks.length;
	const runsBefore = ui.executions(workflowId).length;
	await ui.switchWorkflow(workflowId, true);
	equal(moneybird.state.webhooks.webhooks.length, webhooksBefore + 1, 'webhooks registered with the sandbox Moneybird once switched on');
	const mirrored: unknown[] = [];
	for (let payment = 1; payment <= PAYMENTS; payment++) {
		// A Kantata OX invoice and the Moneybird invoice made from it, paid in full in Moneybird through its API.
		const kantataInvoice = String(9100 + payment);
		kantata.state.addInvoice({ id: kantataInvoice, workspace_ids: ['101'], status: 'pending', amount_in_cents: 2500 });
		const invoice = moneybird.state.addInvoice({ amount: '25.00', reference: `KX 101/${kantataInvoice}` });
		const paid = await fetch(`${moneybird.server.url}/${moneybird.state.getInvoice(invoice).administration_id as string}/external_sales_invoices/${invoice}/payments.json`, {
			method: 'POST',
			headers: { Authorization: `Bearer ${credentials.moneybirdApi.accessToken}`, 'Content-Type': 'application/json' },
			body: JSON.stringify({ payment: { payment_date: '2026-12-01', price: '25.00' } }),
		});
		equal(paid.status, 201, `Moneybird payment ${payment}`);
		const run = await ui.finishedExecution(workflowId, runsBefore + payment, 60_000);
		equal(run.status, 'success', `execution ${payment}`);
		const recorded = outputOf(run, 'Record in Kantata OX').map((item) => [item.json.invoice_id, item.json.amount_in_cents]);
		equal(recorded, [[kantataInvoice, 2500]], `execution ${payment} recorded in Kantata OX`);
		mirrored.push(...recorded);
	}
	// A moment for a repeated delivery to show up as a second execution.
	await ui.page.waitForTimeout(5000);
	equal(ui.executions(workflowId).length - runsBefore, PAYMENTS, 'executions');
	await ui.switchWorkflow(workflowId, false);
	equal(moneybird.state.webhooks.webhooks.length, 0, 'webhooks left with the sandbox Moneybird once switched off');
	return `${PAYMENTS} payments, ${PAYMENTS} executions, mirrored ${JSON.stringify(mirrored)}; webhooks ${webhooksBefore} → ${webhooksBefore + 1} → 0`;
}

/** The Kantata OX Trigger example (polling every minute): each new Kantata OX payment is recorded in Moneybird. */
export async function kantataTriggerSwitchedOn(ui: UiRun, workflowId: string): Promise<string> {
	const { moneybird, kantata } = ui.dev.sandbox;
	await ui.switchWorkflow(workflowId, true);
	// Switching on polls once, which only marks where the payments to come start.
	await ui.page.waitForTimeout(3000);
	const runsBefore = ui.executions(workflowId).length;
	const recorded: unknown[] = [];
	for (let payment = 1; payment <= PAYMENTS; payment++) {
		const invoice = moneybird.state.addInvoice({ amount: '10.00', reference: `UI trigger ${payment}` });
		kantata.state.addPayment({ workspace_id: '102', amount_in_cents: 1000, message: `Paid UI ${payment}, MB ${invoice}` });
		// The next poll is at most a minute away.
		const run = await ui.finishedExecution(workflowId, runsBefore + payment, 90_000);
		equal(run.status, 'success', `execution ${payment}`);
		const outputs = outputOf(run, 'Record in Moneybird').map((item) => [item.json.invoice_id, item.json.price]);
		equal(outputs, [[invoice, '10.0']], `execution ${payment} recorded in Moneybird`);
		equal(moneybird.state.paymentsOf(invoice).length, 1, `payments on Moneybird invoice ${invoice}`);
		recorded.push(...outputs);
	}
	equal(ui.executions(workflowId).length - runsBefore, PAYMENTS, 'executions');
	await ui.switchWorkflow(workflowId, false);
	return `${PAYMENTS} payments, ${PAYMENTS} executions, recorded ${JSON.stringify(recorded)}; off again`;
}
