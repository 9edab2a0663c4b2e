/**
 * A tiny HTTP JSON-RPC server (loopback only) in front of an in-process EIP-1193 provider (the
 * EDR provider from `network.create()`), so the keeper talks to a real node over HTTP.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface Eip1193 {
  request(args: { method: string; params?: unknown[] | object }): Promise<unknown>;
}

interface JsonRpcRequest {
  jsonrpc: "2.0";
  id: number | string | null;
  method: string;
  params?: unknown[];
}

async function handleOne(provider: Eip1193, req: JsonRpcRequest): Promise<object> {
  try {
    const result = await provider.request({ method: req.method, params: req.params ?? [] });
    return { jsonrpc: "2.0", id: req.id, result: result ?? null };
  } catch (e) {
    const err = e as { code?: number; message?: string; data?: unknown };
    const data = typeof err.data === "string" ? err.data : (err.data as { data?: unknown } | undefined)?.data;
    return {
      jsonrpc: "2.0",
      id: req.id,
      error: {
        code: typeof err.code === "number" ? err.code : -32603,
        message: err.message ?? String(e),
        ...(data !== undefined ? { data } : {}),
      },
    };
  }
}

export async function startRpcServer(
  provider: Eip1193,
): Promise<{ url: string; server: Server; close: () => Promise<void> }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      void (async () => {
        let body: unknown;
        try {
          body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
        } catch {
          res.writeHead(400).end();
          return;
        }
        // one provider call at a time, like a single-threaded node
        const out = Array.isArray(body)
          ? await serial((body as JsonRpcRequest[]).map((r) => () => handleOne(provider, r)))
          : await handleOne(provider, body as JsonRpcRequest);
        res
          .writeHead(200, { "content-type": "application/json" })
          .end(JSON.stringify(out, (_k, v: unknown) => (typeof v === "bigint" ? `0x${v.toString(16)}` : v)));
      })();
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

async function serial<T>(fns: (() => Promise<T>)[]): Promise<T[]> {
  const out: T[] = [];
  for (const f of fns) out.push(await f());
  return out;
}
