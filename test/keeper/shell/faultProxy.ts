/**
 * A fault-injecting JSON-RPC HTTP proxy (loopback only) for keeper fault tests. Requests are
 * forwarded to `upstream` unless a rule matches one of their methods; a rule fires `times` times:
 *   - "http500" / "http429": answer with that HTTP status (429 with Retry-After);
 *   - "timeout": hold the request for `delayMs`, then drop the connection (never forwarded);
 *   - "rpcError": answer that call with a JSON-RPC error `{ code, message }` (never forwarded);
 *   - "forwardThenTimeout": forward (the node acts), then hold and drop the connection, so the
 *     client never learns the outcome (a lost response; the crash-between-send-and-record shape).
 * Batches (JSON arrays) are handled per element for rpcError and as a whole for HTTP faults.
 */
import { createServer, type Server, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type FaultKind = "http500" | "http429" | "timeout" | "rpcError" | "forwardThenTimeout";

export interface FaultRule {
  method: string | RegExp;
  kind: FaultKind;
  times: number;
  code?: number;
  message?: string;
  delayMs?: number;
}

interface RpcCall {
  jsonrpc: string;
  id: unknown;
  method: string;
  params?: unknown;
}

export class FaultProxy {
  readonly upstream: string;
  private server: Server | undefined;
  private rules: FaultRule[] = [];
  /** Calls seen per method (forwarded or not). */
  readonly seen = new Map<string, number>();
  /** Faults fired per kind. */
  readonly fired = new Map<FaultKind, number>();
  url = "";

  constructor(upstream: string) {
    this.upstream = upstream;
  }

  add(rule: FaultRule): this {
    this.rules.push({ ...rule });
    return this;
  }

  clear(): void {
    this.rules = [];
  }

  count(method: string): number {
    return this.seen.get(method) ?? 0;
  }

  private take(method: string): FaultRule | undefined {
    const rule = this.rules.find(
      (r) => r.times > 0 && (typeof r.method === "string" ? r.method === method : r.method.test(method)),
    );
    if (rule) {
      rule.times -= 1;
      this.fired.set(rule.kind, (this.fired.get(rule.kind) ?? 0) + 1);
    }
    return rule;
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.keepAliveTimeout = 1000;
    await new Promise<void>((r) => this.server!.listen(0, "127.0.0.1", () => r()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async close(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server!.close(() => r()));
  }

  private async forward(body: string): Promise<string> {
    const r = await fetch(this.upstream, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
    });
    return r.text();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    let parsed: RpcCall | RpcCall[];
    try {
      parsed = JSON.parse(text) as RpcCall | RpcCall[];
    } catch {
      res.writeHead(400).end();
      return;
    }
    const calls = Array.isArray(parsed) ? parsed : [parsed];
    for (const c of calls) this.seen.set(c.method, (this.seen.get(c.method) ?? 0) + 1);

    // HTTP-level faults apply to the whole request.
    for (const c of calls) {
      const rule = this.rules.find(
        (r) =>
          r.times > 0 &&
          r.kind !== "rpcError" &&
          (typeof r.method === "string" ? r.method === c.method : r.method.test(c.method)),
      );
      if (!rule) continue;
      this.take(c.method);
      switch (rule.kind) {
        case "http500":
          res.writeHead(500, { "content-type": "text/plain" }).end("internal error (injected)");
          return;
        case "http429":
          res
            .writeHead(429, { "retry-after": "0", "content-type": "text/plain" })
            .end("rate limited (injected)");
          return;
        case "timeout":
          await sleep(rule.delayMs ?? 2_000);
          res.destroy();
          return;
        case "forwardThenTimeout":
          await this.forward(text);
          await sleep(rule.delayMs ?? 2_000);
          res.destroy();
          return;
        default:
          break;
      }
    }

    // Per-call JSON-RPC errors; the rest is forwarded.
    const answers = new Map<number, object>();
    const forwardIdx: number[] = [];
    calls.forEach((c, i) => {
      const rule = this.rules.find(
        (r) =>
          r.times > 0 &&
          r.kind === "rpcError" &&
          (typeof r.method === "string" ? r.method === c.method : r.method.test(c.method)),
      );
      if (rule) {
        this.take(c.method);
        answers.set(i, {
          jsonrpc: "2.0",
          id: c.id,
          error: { code: rule.code ?? -32000, message: rule.message ?? "injected error" },
        });
      } else forwardIdx.push(i);
    });
    if (forwardIdx.length > 0) {
      const fwd = forwardIdx.map((i) => calls[i]!);
      const out = JSON.parse(await this.forward(JSON.stringify(Array.isArray(parsed) ? fwd : fwd[0]))) as
        object | object[];
      const arr = (Array.isArray(out) ? out : [out]) as { id?: unknown }[];
      const byId = new Map(arr.map((a) => [JSON.stringify(a.id), a]));
      forwardIdx.forEach((i, k) => answers.set(i, byId.get(JSON.stringify(calls[i]!.id)) ?? arr[k]!));
    }
    const result = Array.isArray(parsed) ? calls.map((_c, i) => answers.get(i)) : answers.get(0);
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(result));
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
