import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

export interface RecordedRequest {
	method: string;
	/** Path and query. */
	url: string;
	/** Header names lower-cased (Node's `req.headers`). */
	headers: Record<string, string | string[] | undefined>;
	/** `[name, value, name, value, …]` as sent, case preserved. */
	rawHeaders: string[];
	body: Buffer;
}

/**
 * What to do with a request: return a response spec, or act on `res`/`socket` yourself (and return
 * undefined). Specials: `{ reset: true }` sends a TCP RST after reading the request; `{ close: true }`
 * closes the connection without an answer; `{ hang: true }` never answers.
 */
export type Responder = (
	request: RecordedRequest,
	res: ServerResponse,
	socket: Socket,
) =>
	| {
			status?: number;
			headers?: Record<string, string>;
			body?: unknown;
			reset?: boolean;
			close?: boolean;
			hang?: boolean;
	  }
	| undefined
	| Promise<unknown>;

export interface RecordingServer {
	url: string;
	port: number;
	requests: RecordedRequest[];
	/** Replaces the responder (default: 200 `{ ok: true }`). */
	respond(responder: Responder): void;
	close(): Promise<void>;
}

/** An HTTP server on 127.0.0.1 (a free port) that records every request and answers as told. */
export async function startRecordingServer(responder?: Responder): Promise<RecordingServer> {
	let current: Responder = responder ?? (() => ({ status: 200, body: { ok: true } }));
	const requests: RecordedRequest[] = [];
	const sockets = new Set<Socket>();
	const server = createServer((req: IncomingMessage, res: ServerResponse) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const recorded: RecordedRequest = {
				method: req.method ?? '',
				url: req.url ?? '',
				headers: req.headers,
				rawHeaders: req.rawHeaders,
				body: Buffer.concat(chunks),
			};
			requests.push(recorded);
			void Promise.resolve(current(recorded, res, req.socket)).then((spec) => {
				if (!spec || typeof spec !== 'object') return;
				const s = spec as Exclude<ReturnType<Responder>, Promise<unknown> | undefined>;
				if (!s) return;
				if (s.hang) return;
				if (s.reset) {
					req.socket.resetAndDestroy();
					return;
				}
				if (s.close) {
					req.socket.destroy();
					return;
				}
				const isText = typeof s.body === 'string' || Buffer.isBuffer(s.body);
				const payload = isText ? (s.body as string | Buffer) : JSON.stringify(s.body ?? {});
				res.writeHead(s.status ?? 200, {
					'content-type': isText ? 'text/plain' : 'application/json',
					...s.headers,
				});
				res.end(payload);
			});
		});
	});
	server.on('connection', (socket: Socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const address = server.address();
	const port = typeof address === 'object' && address ? address.port : 0;
	return {
		url: `http://127.0.0.1:${port}`,
		port,
		requests,
		respond: (next) => {
			current = next;
		},
		close: async () => {
			for (const socket of sockets) socket.destroy();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}
