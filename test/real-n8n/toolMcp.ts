/**
 * The tool variants behind n8n's MCP Server Trigger (`@n8n/n8n-nodes-langchain.mcpTrigger`, version 2: MCP's
 * Streamable HTTP at `/mcp/<path>`), active in `n8n start`, and a minimal MCP client (plain fetch): initialize,
 * then `tools/list` and `tools/call`, as an MCP client such as Claude Desktop does.
 */
import { randomUUID } from 'node:crypto';

import { node } from './workflowBuilders';
import type { WorkflowJson, WorkflowNode } from './workflowBuilders';

/** An MCP Server Trigger at `/mcp/<path>` with `tools` on its Tools input. */
export function mcpServer(id: string, path: string, tools: WorkflowNode[]): WorkflowJson {
	const trigger: WorkflowNode = { ...node('MCP Server Trigger', '@n8n/n8n-nodes-langchain.mcpTrigger', 2, { authentication: 'none', path }), webhookId: randomUUID() };
	const connections: Record<string, unknown> = {};
	tools.forEach((tool, index) => {
		tool.position = [index * 240, 200];
		connections[tool.name] = { ai_tool: [[{ node: trigger.name, type: 'ai_tool', index: 0 }]] };
	});
	return {
		id,
		name: id,
		active: false,
		nodes: [trigger, ...tools],
		connections: connections as WorkflowJson['connections'],
		settings: { executionOrder: 'v1' },
	};
}

/** A JSON-RPC answer of a Streamable HTTP POST: a JSON body or server-sent events, whose `data` lines hold it. */
function rpcAnswer(text: string, id: number): Record<string, unknown> | undefined {
	const candidates = text.trimStart().startsWith('{')
		? [text]
		: text
				.split('\n')
				.filter((line) => line.startsWith('data:'))
				.map((line) => line.slice('data:'.length).trim());
	for (const candidate of candidates) {
		const message = JSON.parse(candidate) as Record<string, unknown>;
		if (message.id === id) return message;
	}
	return undefined;
}

export interface McpClient {
	/** `tools/list`: each tool's name and the description its client (an agent) is given. */
	listTools(): Promise<Array<{ name: string; description?: string }>>;
	callTool(name: string, args: Record<string, unknown>): Promise<{ text: string; isError?: boolean }>;
}

/** Connects to the MCP server at `url` (an MCP session), retrying until n8n has activated it or `timeoutMs` passed. */
export async function connectMcp(url: string, timeoutMs: number, context: () => string): Promise<McpClient> {
	let nextId = 1;
	let session: string | undefined;
	const post = async (body: Record<string, unknown>) => {
		const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
		if (session) headers['mcp-session-id'] = session;
		const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body) });
		session ??= response.headers.get('mcp-session-id') ?? undefined;
		return { status: response.status, text: await response.text() };
	};
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const id = nextId++;
		const answer = await post({
			jsonrpc: '2.0',
			id,
			method: 'initialize',
			params: { protocolVersion: '2025-03-26', capabilities: {}, clientInfo: { name: 'real-n8n-test', version: '1.0.0' } },
		}).catch((error: Error) => ({ status: 0, text: error.message }));
		if (answer.status === 200 && rpcAnswer(answer.text, id)?.result) break;
		session = undefined;
		if (Date.now() > deadline) throw new Error(`MCP initialize kept failing (${answer.status} ${answer.text})\n${context()}`);
		await new Promise((resolve) => setTimeout(resolve, 1000));
	}
	await post({ jsonrpc: '2.0', method: 'notifications/initialized' });
	return {
		async listTools() {
			const id = nextId++;
			const answer = await post({ jsonrpc: '2.0', id, method: 'tools/list', params: {} });
			const result = rpcAnswer(answer.text, id)?.result as { tools?: Array<{ name: string; description?: string }> } | undefined;
			if (!result?.tools) throw new Error(`tools/list answered ${answer.status}: ${answer.text}`);
			return result.tools.map(({ name, description }) => ({ name, description }));
		},
		async callTool(name, args) {
			const id = nextId++;
			const answer = await post({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args } });
			const message = rpcAnswer(answer.text, id);
			const result = message?.result as { content?: Array<{ type: string; text?: string }>; isError?: boolean } | undefined;
			if (!result) throw new Error(`tools/call ${name} answered ${answer.status}: ${answer.text}`);
			return { text: (result.content ?? []).map((part) => part.text ?? '').join(''), isError: result.isError };
		},
	};
}
