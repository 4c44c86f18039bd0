import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** One request as the server received it, kept so tests can assert exactly what the node sent. */
export interface RecordedRequest {
	method: string;
	/** Path without the query string, e.g. `/api/v1/external_payments.json`. */
	path: string;
	query: Record<string, string>;
	headers: http.IncomingHttpHeaders;
	/** The body exactly as it arrived: big numeric IDs can be checked digit for digit here. */
	rawBody: string;
	/** `rawBody` parsed as JSON when it is JSON, otherwise undefined. */
	body: unknown;
	/** When the request arrived (epoch ms): tests check waits from the server's side. */
	receivedAt: number;
}

export interface ApiResponse {
	status: number;
	/** Sent as JSON unless `rawBody` is given. */
	body?: unknown;
	rawBody?: string;
	headers?: Record<string, string>;
}

export type Handler = (request: RecordedRequest) => ApiResponse | Promise<ApiResponse>;

/**
 * A fault replaces or disturbs the normal answer to one matching request.
 * - `status`: answer this instead; the handler does not run (nothing is recorded as done).
 * - `resetBeforeHandling`: the connection is destroyed as soon as the request arrives; the handler does not run.
 * - `resetAfterHandling`: the handler runs (its side effect happens), then the connection is destroyed unanswered.
 * - `answerAfterHandling`: the handler runs (its side effect happens), then this answer is sent instead of its own
 *   (a proxy's page, or a body that is not the record).
 * - `delay`: the handler runs, and its answer is sent `ms` later.
 */
export type Fault =
	| { kind: 'status'; status: number; body?: unknown; rawBody?: string; headers?: Record<string, string> }
	| { kind: 'resetBeforeHandling' }
	| { kind: 'resetAfterHandling' }
	| { kind: 'answerAfterHandling'; answer: ApiResponse }
	| { kind: 'delay'; ms: number };

export type RequestMatcher = (request: RecordedRequest) => boolean;

export interface RateLimit {
	/** Requests allowed per window. */
	limit: number;
	windowMs: number;
	/** The answer to a request over the limit; `resetAtMs` is when the current window ends (epoch ms). */
	reject: (resetAtMs: number, now: number) => ApiResponse;
	/** Headers describing the limit, added to every answer inside the window (optional). */
	headers?: (remaining: number, resetAtMs: number) => Record<string, string>;
}

/**
 * The HTTP server both sandbox APIs run on (127.0.0.1): it records every request, hands it to the API's handler,
 * and can inject faults, latency and a fixed-window rate limit the way a remote API would show them.
 */
export class ApiServer {
	readonly requests: RecordedRequest[] = [];
	/** Delay before every answer, as a remote API's round trip would add. */
	latencyMs = 0;
	rateLimit?: RateLimit;
	/** Requests turned away by the rate limit (they are in `requests` too). */
	rateLimited = 0;
	/** TCP connections opened by clients since the last `resetLog`. */
	connections = 0;

	private server?: http.Server;
	private readonly sockets = new Set<Socket>();
	private faults: Array<{ matches: RequestMatcher; fault: Fault }> = [];
	private window = { index: -1, used: 0 };
	private baseUrl = '';

	/**
	 * @param handler The API's answer to a request. Public so a test can wrap it (to act between two pages, or to
	 * change one answer) and put the original back afterwards.
	 */
	constructor(
		public handler: Handler,
		private readonly pathPrefix = '',
	) {}

	/** Base URL including the API's path prefix, e.g. `http://127.0.0.1:40123/api/v1`. */
	get url(): string {
		return this.baseUrl + this.pathPrefix;
	}

	/** Queue faults for the next requests that match, one fault per request, in order. */
	injectFaults(matches: RequestMatcher, ...faults: Fault[]): void {
		for (const fault of faults) this.faults.push({ matches, fault });
	}

	clearFaults(): void {
		this.faults = [];
	}

	/** Forget recorded requests (state of the API itself is the handler's). */
	resetLog(): void {
		this.requests.length = 0;
		this.rateLimited = 0;
		this.connections = 0;
	}

	/** Listens on 127.0.0.1, on `port` or (by default) a free one. */
	async start(port = 0): Promise<this> {
		this.server = http.createServer((req, res) => void this.onRequest(req, res));
		this.server.keepAliveTimeout = 5000;
		this.server.on('connection', (socket) => {
			this.connections++;
			this.sockets.add(socket);
			socket.on('close', () => this.sockets.delete(socket));
		});
		await new Promise<void>((resolve, reject) => {
			this.server!.once('error', reject);
			this.server!.listen(port, '127.0.0.1', resolve);
		});
		const { port: boundPort } = this.server.address() as AddressInfo;
		this.baseUrl = `http://127.0.0.1:${boundPort}`;
		return this;
	}

	/** Run when the server stops (an API's own timers, such as webhook retries). */
	readonly onStop: Array<() => void> = [];

	async stop(): Promise<void> {
		for (const stopped of this.onStop) stopped();
		if (!this.server) return;
		for (const socket of this.sockets) socket.destroy();
		await new Promise<void>((resolve) => this.server!.close(() => resolve()));
		this.server = undefined;
	}

	private async onRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		const receivedAt = Date.now();
		const rawBody = Buffer.concat(chunks).toString('utf8');
		const parsedUrl = new URL(req.url ?? '/', 'http://127.0.0.1');
		let body: unknown;
		try {
			body = rawBody ? JSON.parse(rawBody) : undefined;
		} catch {
			body = undefined;
		}
		const recorded: RecordedRequest = {
			method: req.method ?? 'GET',
			path: parsedUrl.pathname,
			query: Object.fromEntries(parsedUrl.searchParams.entries()),
			headers: req.headers,
			rawBody,
			body,
			receivedAt,
		};
		this.requests.push(recorded);

		const faultIndex = this.faults.findIndex((f) => f.matches(recorded));
		const fault = faultIndex >= 0 ? this.faults.splice(faultIndex, 1)[0].fault : undefined;

		if (fault?.kind === 'resetBeforeHandling') {
			req.socket.destroy();
			return;
		}
		if (fault?.kind === 'status') {
			await this.wait(this.latencyMs);
			this.send(res, fault);
			return;
		}

		const limitHeaders = this.applyRateLimit();
		let answer: ApiResponse;
		if (limitHeaders === 'rejected') {
			this.rateLimited++;
			answer = this.rateLimit!.reject(this.windowEnd(), Date.now());
		} else {
			try {
				answer = await this.handler(recorded);
			} catch (error) {
				answer = { status: 500, body: { error: `sandbox handler failed: ${String(error)}` } };
			}
			answer = { ...answer, headers: { ...limitHeaders, ...answer.headers } };
		}

		if (fault?.kind === 'resetAfterHandling') {
			req.socket.destroy();
			return;
		}
		if (fault?.kind === 'answerAfterHandling') answer = fault.answer;
		await this.wait(this.latencyMs + (fault?.kind === 'delay' ? fault.ms : 0));
		if (!res.destroyed) this.send(res, answer);
	}

	/** Fixed windows aligned to multiples of the window length, so a reset time in whole seconds is exact. */
	private applyRateLimit(): Record<string, string> | 'rejected' {
		const limit = this.rateLimit;
		if (!limit) return {};
		const index = Math.floor(Date.now() / limit.windowMs);
		if (index !== this.window.index) this.window = { index, used: 0 };
		if (this.window.used >= limit.limit) return 'rejected';
		this.window.used++;
		return limit.headers?.(limit.limit - this.window.used, this.windowEnd()) ?? {};
	}

	private windowEnd(): number {
		return (Math.floor(Date.now() / this.rateLimit!.windowMs) + 1) * this.rateLimit!.windowMs;
	}

	private send(res: http.ServerResponse, answer: ApiResponse): void {
		const headers: Record<string, string> = { ...answer.headers };
		let payload = '';
		if (answer.rawBody !== undefined) {
			payload = answer.rawBody;
		} else if (answer.body !== undefined) {
			payload = JSON.stringify(answer.body);
			headers['content-type'] ??= 'application/json; charset=utf-8';
		}
		res.writeHead(answer.status, headers);
		res.end(answer.status === 204 ? undefined : payload);
	}

	private async wait(ms: number): Promise<void> {
		if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms));
	}
}

/** A 200 answer with this JSON body (and headers). */
export function ok(body: unknown, headers?: Record<string, string>): ApiResponse {
	return { status: 200, body, headers };
}

/** Matches requests by method and a path test. */
export function requestsTo(method: string, path: RegExp | string): RequestMatcher {
	return (r) =>
		r.method === method && (typeof path === 'string' ? r.path === path : path.test(r.path));
}

/** A sandbox API: its state (records, and the ways tests set them up) and the server that answers from it. */
export interface SandboxApi<State> {
	server: ApiServer;
	state: State;
}
