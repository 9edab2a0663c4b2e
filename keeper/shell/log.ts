/**
 * Structured JSON logs (pino). Secrets are removed three ways: fields with secret names are
 * redacted (pino `redact`), known secret values (the loaded key, the keystore password) are
 * masked inside every string of every log line, and RPC URLs (which often carry an API key in
 * their path or query) are reduced to their origin.
 */
import { pino, type Logger, type DestinationStream } from "pino";

const SECRET_FIELDS = [
  "privateKey",
  "private_key",
  "KEEPER_PRIVATE_KEY",
  "password",
  "KEEPER_KEYSTORE_PASSWORD",
  "mnemonic",
  "secret",
  "rawTx",
  "raw",
];

/** Paths redacted at the top level and up to three levels deep. */
export const REDACT_PATHS = SECRET_FIELDS.flatMap((f) => [f, `*.${f}`, `*.*.${f}`, `*.*.*.${f}`]);

export interface LogSecrets {
  /** Values masked anywhere they appear (ignored when shorter than 8 characters). */
  values?: readonly string[];
  /** URLs replaced by their origin (scheme://host:port) anywhere they appear. */
  urls?: readonly string[];
}

/** Builds the string scrubber for a set of secrets. */
export function scrubber(secrets: LogSecrets): (s: string) => string {
  const pairs: [string, string][] = [];
  for (const u of secrets.urls ?? []) {
    try {
      const origin = new URL(u).origin;
      if (u.replace(/\/$/, "") !== origin) pairs.push([u, `${origin}/[redacted]`]);
    } catch {
      /* not a URL: nothing to scrub */
    }
  }
  for (const v of secrets.values ?? []) if (v.length >= 8) pairs.push([v, "[redacted]"]);
  // longest first, so a URL containing a key is replaced as a whole
  pairs.sort((a, b) => b[0].length - a[0].length);
  return (s: string): string => {
    let out = s;
    for (const [from, to] of pairs) if (out.includes(from)) out = out.split(from).join(to);
    return out;
  };
}

function deepScrub(value: unknown, scrub: (s: string) => string, depth = 0): unknown {
  if (typeof value === "string") return scrub(value);
  if (depth > 6 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v) => deepScrub(v, scrub, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = deepScrub(v, scrub, depth + 1);
  return out;
}

export function createLogger(
  level: string,
  destination?: DestinationStream,
  secrets: readonly string[] | LogSecrets = [],
): Logger {
  const spec: LogSecrets = Array.isArray(secrets)
    ? { values: secrets as readonly string[] }
    : (secrets as LogSecrets);
  const scrub = scrubber(spec);
  const active = (spec.values?.length ?? 0) + (spec.urls?.length ?? 0) > 0;
  return pino(
    {
      level,
      base: { service: "keeper" },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACT_PATHS, censor: "[redacted]" },
      formatters: active ? { log: (obj) => deepScrub(obj, scrub) as Record<string, unknown> } : {},
      hooks: {
        // the message string itself
        logMethod(args, method) {
          if (active)
            for (let i = 0; i < args.length; i++)
              if (typeof args[i] === "string") args[i] = scrub(args[i] as string);
          method.apply(this, args);
        },
      },
      serializers: {
        err: (e: unknown) => {
          const s = pino.stdSerializers.err(e as Error);
          return active ? (deepScrub(s, scrub) as typeof s) : s;
        },
      },
    },
    active ? scrubbingDestination(destination ?? pino.destination(1), scrub) : destination,
  );
}

/**
 * Last line of defence: every serialized line is scrubbed before it is written (covers child
 * bindings and anything a serializer missed; keys and URLs need no JSON escaping).
 */
function scrubbingDestination(dest: DestinationStream, scrub: (s: string) => string): DestinationStream {
  return { write: (line: string) => dest.write(scrub(line)) };
}

/** Known-secret variants (with and without 0x) to scrub from free text. */
export function secretVariants(key: string | undefined): string[] {
  if (!key) return [];
  const k = key.trim().replace(/^0x/, "");
  return [k, k.toLowerCase(), k.toUpperCase()].filter((v, i, a) => a.indexOf(v) === i);
}
