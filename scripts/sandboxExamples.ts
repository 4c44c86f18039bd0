/**
 * The sandbox-ready copies of the examples (`examples/sandbox/`), which `npm run dev` imports, and the records the
 * sandbox needs for each to do its job: Kantata OX payments made yesterday (the daily summary) and a newest Kantata
 * OX payment whose message names a Moneybird invoice (the trigger example, whose manual run returns the newest), and
 * a Moneybird invoice whose reference names a Kantata OX invoice (the Moneybird Trigger example).
 */
import path from 'node:path';

import { DateTime } from 'luxon';

import { PROJECT_ROOT } from '../test/harness/packages';
import type { startSandbox } from './sandbox';

export const SANDBOX_EXAMPLES_DIR = path.join(PROJECT_ROOT, 'examples', 'sandbox');

/**
 * The workflows `npm run dev` imports, in the editor's order (the tour first), with the IDs they get. n8n keeps a
 * workflow's static data (a trigger's webhook and secret, a poll's place) only for an ID it accepts: at most 16
 * characters on n8n 1.x (`isWorkflowIdValid`), so a longer one makes an example switched on do nothing.
 */
export const SANDBOX_WORKFLOWS = [
	{ id: 'sandboxTour', file: 'sandbox-tour.json' },
	{ id: 'sandboxSheetMb', file: 'sheet-to-moneybird-payments.json' },
	{ id: 'sandboxKxToMb', file: 'kantata-trigger-to-moneybird.json' },
	{ id: 'sandboxSummary', file: 'kantata-payments-summary-email.json' },
	{ id: 'sandboxMbToKx', file: 'moneybird-trigger-to-kantata.json' },
] as const;

/** Whether n8n keeps static data for a workflow with this ID (the stricter of n8n 1.x and 2.x). */
export const keepsStaticData = (id: string): boolean => /^[A-Za-z0-9]{1,16}$/.test(id);

/** The external invoice the Moneybird → Kantata OX example mirrors: Kantata OX project 101, invoice 1001. */
export const KANTATA_INVOICED_REFERENCE = 'KX 101/1001';

/** WS-1005 (Parkietje B.V.), open 60.00: the invoice the newest Kantata OX payment names. */
export const TRIGGER_EXAMPLE_INVOICE = '458026357020000005';

/**
 * Adds what the examples need. `timeZone`: the one the workflows run in (n8n's GENERIC_TIMEZONE, by default
 * America/New_York), which decides what "yesterday" is.
 */
export function seedExampleData(sandbox: Awaited<ReturnType<typeof startSandbox>>, timeZone = 'America/New_York') {
	const yesterday = DateTime.now().setZone(timeZone).startOf('day').minus({ days: 1 });
	const at = (hours: number) => yesterday.plus({ hours }).toUTC().toISO({ suppressMilliseconds: true })!;
	// What Kantata OX invoice 1001 (project 101) became in Moneybird, for the Moneybird → Kantata OX example.
	sandbox.moneybird.state.addInvoice({ amount: '1250.00', reference: KANTATA_INVOICED_REFERENCE });
	const kantata = sandbox.kantata.state;
	kantata.addPayment({ workspace_id: '101', amount_in_cents: 125000, message: 'Invoice INV-1001, part 1', created_at: at(10) });
	kantata.addPayment({ workspace_id: '103', amount_in_cents: 18050, message: 'Invoice INV-1007', created_at: at(15.5) });
	// Created now, so the newest.
	return kantata.addPayment({ workspace_id: '102', amount_in_cents: 6000, message: `Paid WS-1005, MB ${TRIGGER_EXAMPLE_INVOICE}` });
}
