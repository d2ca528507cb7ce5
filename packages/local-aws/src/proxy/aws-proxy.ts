import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { classifyRequest, type RequestKind } from './classify-request';
import { noFaults, type FaultDecision, type FaultInjector, type InjectedResponse } from './faults';

export interface RecordedRequest extends RequestKind {
  method: string;
  path: string;
  status: number;
  /** The fault the proxy answered with instead of forwarding, if any. */
  injected?: string;
  at: number;
}

export interface AwsProxy {
  endpoint: string;
  requests: RecordedRequest[];
  /** The injector consulted for each request; a test may swap it between steps. */
  faults: FaultInjector;
  writes(): RecordedRequest[];
  stop(): Promise<void>;
}

/**
 * A loopback HTTP proxy in front of moto: records every request (for write counting independent of
 * the tool under test) and lets a FaultInjector answer some of them with throttling, 5xx, conflicts
 * or a delayed/InProgress view, as real Lambda would. Stops by itself after `maxLifetimeMs`.
 */
export async function startAwsProxy(opts: { target: string; faults?: FaultInjector; maxLifetimeMs?: number }): Promise<AwsProxy> {
  const requests: RecordedRequest[] = [];
  const target = new URL(opts.target);

  const proxy = { requests, faults: opts.faults ?? noFaults } as AwsProxy;

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const kind = classifyRequest(req.method ?? 'GET', req.url ?? '/', req.headers, isFormEncoded(req) ? body.toString('utf8') : '');
      const record: RecordedRequest = { ...kind, method: req.method ?? 'GET', path: req.url ?? '/', status: 0, at: Date.now() };
      requests.push(record);
      void handle(kind, req, res, body, record);
    });
  });

  const handle = async (kind: RequestKind, req: IncomingMessage, res: ServerResponse, body: Buffer, record: RecordedRequest) => {
    const decision: FaultDecision = await proxy.faults.before(kind);
    if (decision.respond) {
      record.status = decision.respond.status;
      record.injected = decision.respond.name;
      sendFault(res, kind, decision.respond);
      return;
    }
    const headers = { ...req.headers };
    for (const header of decision.dropHeaders ?? []) delete headers[header];
    if (decision.dropHeaders?.length) record.injected = `dropped ${decision.dropHeaders.join(', ')}`;
    const upstream = httpRequest({ hostname: target.hostname, port: target.port, method: req.method, path: req.url, headers }, (answer) => {
      const parts: Buffer[] = [];
      answer.on('data', (chunk: Buffer) => parts.push(chunk));
      answer.on('end', () => {
        let payload: Buffer = Buffer.concat(parts);
        record.status = answer.statusCode ?? 0;
        const rewritten = proxy.faults.after(kind, record.status, payload);
        if (decision.loseResponse) {
          record.injected = `lost response (${decision.loseResponse.name})`;
          sendFault(res, kind, decision.loseResponse);
          return;
        }
        const answerHeaders = { ...answer.headers };
        if (rewritten) {
          payload = rewritten;
          answerHeaders['content-length'] = String(payload.length);
        }
        res.writeHead(record.status, answerHeaders);
        res.end(payload);
      });
    });
    upstream.on('error', (error) => {
      record.status = 502;
      res.writeHead(502);
      res.end(String(error));
    });
    upstream.end(body);
  };

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const lifetime = setTimeout(() => server.close(), opts.maxLifetimeMs ?? 15 * 60_000);
  lifetime.unref();
  Object.assign(proxy, {
    endpoint: `http://127.0.0.1:${port}`,
    writes: () => requests.filter((r) => r.write),
    stop: () =>
      new Promise<void>((resolve) => {
        clearTimeout(lifetime);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
  return proxy;
}

/** An AWS-shaped error: REST-JSON for Lambda, XML for S3 and the query APIs, so the SDK parses its code. */
function sendFault(res: ServerResponse, kind: RequestKind, fault: InjectedResponse): void {
  if (kind.service === 'lambda' || kind.service === 'other') {
    res.writeHead(fault.status, { 'content-type': 'application/json', 'x-amzn-errortype': fault.name });
    res.end(JSON.stringify({ message: fault.message, Type: 'User' }));
    return;
  }
  const error = `<Error><Code>${fault.name}</Code><Message>${fault.message}</Message></Error>`;
  res.writeHead(fault.status, { 'content-type': 'application/xml' });
  res.end(kind.service === 's3' ? `<?xml version="1.0" encoding="UTF-8"?>${error}` : `<ErrorResponse>${error}</ErrorResponse>`);
}

// IAM/STS are form-encoded query APIs: their operation is in the body.
function isFormEncoded(req: IncomingMessage): boolean {
  return String(req.headers['content-type'] ?? '').includes('x-www-form-urlencoded');
}
