/** Structured JSON logs (pino) with secrets redacted wherever they appear by name. */
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

const HEX32 = /0x[0-9a-fA-F]{64}(?![0-9a-fA-F])/g;

export function createLogger(
  level: string,
  destination?: DestinationStream,
  secrets: readonly string[] = [],
): Logger {
  const scrub = secrets.filter((s) => s.length >= 16);
  return pino(
    {
      level,
      base: { service: "keeper" },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACT_PATHS, censor: "[redacted]" },
      hooks: {
        // Last line of defence: a known secret inside a free-text message is masked too.
        logMethod(args, method) {
          if (scrub.length > 0) {
            for (let i = 0; i < args.length; i++) {
              const a = args[i];
              if (typeof a === "string") {
                let s = a;
                for (const secret of scrub) s = s.split(secret).join("[redacted]");
                args[i] = s;
              }
            }
          }
          method.apply(this, args);
        },
      },
      serializers: {
        err: (e: unknown) => {
          const s = pino.stdSerializers.err(e as Error);
          if (scrub.length === 0) return s;
          const clean = (x: string | undefined): string | undefined => {
            if (x === undefined) return x;
            let out = x;
            for (const secret of scrub) out = out.split(secret).join("[redacted]");
            return out;
          };
          return { ...s, message: clean(s.message) ?? "", stack: clean(s.stack) ?? "" };
        },
      },
    },
    destination,
  );
}

/** Known-secret variants (with and without 0x) to scrub from free text. */
export function secretVariants(key: string | undefined): string[] {
  if (!key) return [];
  const k = key.trim().replace(/^0x/, "");
  return [k, k.toLowerCase(), k.toUpperCase()].filter((v, i, a) => a.indexOf(v) === i);
}

export { HEX32 };
