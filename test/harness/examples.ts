import { readFileSync } from 'node:fs';
import path from 'node:path';

import { DateTime } from 'luxon';
import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	INode,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import { nodeType } from './packages';
import { runWorkflow } from './workflow';
import type { WorkflowFile, WorkflowRun } from './workflow';

/**
 * Runs the workflows in `examples/` as n8n would import them, against the local fake APIs. The nodes of this
 * package run as they are. The other nodes are not installed here (n8n-nodes-base is not a dependency), so they
 * are replaced by test stand-ins:
 * - fixed input instead of a source: Manual Trigger, Schedule Trigger, the Kantata OX and Moneybird Triggers and Google Sheets
 *   output the items a test gives (Google Sheets: one item per row, as "Get Row(s)" does);
 * - capture instead of a sink: Send Email evaluates its From, To, Subject and Text for each item, with n8n's own
 *   expression engine, and records them instead of sending;
 * - minimal faithful replacements for the logic nodes: IF evaluates its conditions with n8n-workflow's own filter
 *   (the `filter` parameter the IF node v2 reads) and sends each item to the true or the false output; Code runs
 *   its JavaScript ("Run Once for All Items") with the `$input`, `$()`, `$json`, `$today`, `$now` and `DateTime`
 *   n8n's workflow data proxy provides (n8n runs it in a sandbox or task runner; here it is a plain function);
 * - Sticky Note: a note, never executed.
 * Credentials of this package's types are pointed at the fake servers by the test; the others are not used.
 */

export const EXAMPLES_DIR = path.resolve(__dirname, '../../examples');

export type Example = WorkflowFile & {
	nodes: Array<INode & { credentials?: Record<string, { id?: string | null; name: string }> }>;
	active?: boolean;
	pinData?: IDataObject;
};

export function readExample(file: string): Example {
	return JSON.parse(readFileSync(path.join(EXAMPLES_DIR, file), 'utf8')) as Example;
}

export interface Email {
	from: string;
	to: string;
	subject: string;
	text: string;
}

export interface ExampleRunOptions {
	/** Items each source node outputs, by node name (triggers and Google Sheets). */
	inputs?: Record<string, IDataObject[]>;
	/** Parameters to set on a node before the run, by node name: what a user picks after importing. */
	set?: Record<string, INodeParameters>;
	/** Credential data by credential type, for this package's credentials. */
	credentials: Record<string, ICredentialDataDecryptedObject>;
	/** The node to start from (default: the first node without inputs that is not a sticky note). */
	start?: string;
}

export interface ExampleRun extends WorkflowRun {
	emails: Email[];
}

const base = (name: string, displayName: string, extra: Partial<INodeTypeDescription> = {}): INodeTypeDescription => ({
	displayName,
	name,
	group: ['transform'],
	// The typeVersions the example files use (Google Sheets 4.5, IF 2.2, Send Email 2.1, …).
	version: [1, 1.2, 2, 2.1, 2.2, 4.5],
	description: `Test stand-in for ${displayName}`,
	defaults: { name: displayName },
	inputs: [NodeConnectionTypes.Main],
	outputs: [NodeConnectionTypes.Main],
	properties: [],
	...extra,
});

/** A source node that outputs the items given for it by node name, or else what `fallback` gives. */
function fixedInput(
	type: string,
	displayName: string,
	inputs: Record<string, IDataObject[]>,
	trigger: boolean,
	fallback?: () => IDataObject[],
): INodeType {
	return {
		description: base(type, displayName, trigger ? { group: ['trigger'], inputs: [] } : {}),
		async execute(this: IExecuteFunctions) {
			const items = inputs[this.getNode().name] ?? fallback?.();
			if (!items) throw new Error(`The test gave no input for "${this.getNode().name}"`);
			return [items.map((json) => ({ json, pairedItem: { item: 0 } }))];
		},
	};
}

function sendEmail(emails: Email[]): INodeType {
	return {
		description: base('n8n-nodes-base.emailSend', 'Send Email', {
			properties: ['fromEmail', 'toEmail', 'subject', 'text'].map((name) => ({
				displayName: name,
				name,
				type: 'string' as const,
				default: '',
			})),
		}),
		async execute(this: IExecuteFunctions) {
			const items = this.getInputData();
			items.forEach((_item, index) => {
				const value = (name: string) => String(this.getNodeParameter(name, index, ''));
				emails.push({ from: value('fromEmail'), to: value('toEmail'), subject: value('subject'), text: value('text') });
			});
			return [items.map((item, index) => ({ json: item.json, pairedItem: { item: index } }))];
		},
	};
}

const ifNode: INodeType = {
	description: base('n8n-nodes-base.if', 'If', {
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		properties: [
			{ displayName: 'Conditions', name: 'conditions', type: 'filter', default: {} },
			{ displayName: 'Options', name: 'options', type: 'collection', default: {}, options: [] },
		],
	}),
	async execute(this: IExecuteFunctions) {
		const kept: INodeExecutionData[] = [];
		const discarded: INodeExecutionData[] = [];
		this.getInputData().forEach((item, index) => {
			const pass = this.getNodeParameter('conditions', index, false, { extractValue: true }) as boolean;
			(pass ? kept : discarded).push({ ...item, pairedItem: { item: index } });
		});
		return [kept, discarded];
	},
};

const codeNode: INodeType = {
	description: base('n8n-nodes-base.code', 'Code', {
		properties: [{ displayName: 'JavaScript', name: 'jsCode', type: 'string', default: '' }],
	}),
	async execute(this: IExecuteFunctions) {
		const code = this.getNodeParameter('jsCode', 0) as string;
		const proxy = this.getWorkflowDataProxy(0);
		const sandbox: Record<string, unknown> = {
			$input: proxy.$input,
			$: proxy.$,
			$json: proxy.$json,
			$today: DateTime.now().setZone(this.getTimezone()).startOf('day'),
			$now: DateTime.now().setZone(this.getTimezone()),
			DateTime,
			items: this.getInputData(),
		};
		const run = new Function(...Object.keys(sandbox), `return (async () => {\n${code}\n})();`);
		const result = (await run(...Object.values(sandbox))) as Array<{ json: IDataObject }>;
		return [result.map((item) => ({ json: item.json }))];
	},
};

const stickyNote: INodeType = {
	description: base('n8n-nodes-base.stickyNote', 'Sticky Note', {
		inputs: [],
		outputs: [],
		properties: [{ displayName: 'Content', name: 'content', type: 'string', default: '' }],
	}),
};

/** Runs an example workflow file through n8n-core's engine with the stand-ins above. */
export async function runExample(file: string, options: ExampleRunOptions): Promise<ExampleRun> {
	const example = readExample(file);
	const emails: Email[] = [];
	const inputs = options.inputs ?? {};
	const nodes = example.nodes.map((node) => {
		const credentials = Object.fromEntries(
			Object.entries(node.credentials ?? {}).map(([type, { name }]) => [type, { id: type, name }]),
		);
		return { ...node, credentials, parameters: { ...node.parameters, ...options.set?.[node.name] } };
	});
	const start =
		options.start ??
		nodes.find((node) => node.type !== 'n8n-nodes-base.stickyNote' && !Object.values(example.connections).some((c) =>
			Object.values(c).some((outputs) => outputs?.some((targets) => targets?.some((t) => t.node === node.name))),
		))?.name;
	if (!start) throw new Error(`${file} has no start node`);

	const run = await runWorkflow({
		workflow: { ...example, nodes },
		types: {
			'n8n-nodes-base.manualTrigger': fixedInput('n8n-nodes-base.manualTrigger', 'Manual Trigger', inputs, true, () => [{}]),
			'n8n-nodes-base.scheduleTrigger': fixedInput('n8n-nodes-base.scheduleTrigger', 'Schedule Trigger', inputs, true, () => [
				{ timestamp: DateTime.now().toISO() },
			]),
			[nodeType('kantataOxTrigger')]: fixedInput(nodeType('kantataOxTrigger'), 'Kantata OX Trigger', inputs, true),
			[nodeType('moneybirdTrigger')]: fixedInput(nodeType('moneybirdTrigger'), 'Moneybird Trigger', inputs, true),
			'n8n-nodes-base.googleSheets': fixedInput('n8n-nodes-base.googleSheets', 'Google Sheets', inputs, false),
			'n8n-nodes-base.emailSend': sendEmail(emails),
			'n8n-nodes-base.if': ifNode,
			'n8n-nodes-base.code': codeNode,
			'n8n-nodes-base.stickyNote': stickyNote,
		},
		credentials: options.credentials,
		start,
	});
	return { ...run, emails };
}
