/**
 * The keeper's signing key: from KEEPER_PRIVATE_KEY or from an encrypted JSON keystore
 * (scrypt key derivation + AES-256-GCM, node:crypto only). Never from the config file.
 */
import { randomBytes, scryptSync, createCipheriv, createDecipheriv, timingSafeEqual } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import type { Hex } from "viem";

export interface KeystoreFile {
  version: 1;
  address: string;
  kdf: "scrypt";
  kdfparams: { N: number; r: number; p: number; dklen: 32; salt: string };
  cipher: "aes-256-gcm";
  iv: string;
  ciphertext: string;
  tag: string;
}

const DEFAULT_N = 1 << 17;

function derive(password: string, p: KeystoreFile["kdfparams"]): Buffer {
  return scryptSync(password.normalize("NFKC"), Buffer.from(p.salt, "hex"), p.dklen, {
    N: p.N,
    r: p.r,
    p: p.p,
    maxmem: 256 * p.N * p.r + 1024 * 1024,
  });
}

function checkKey(key: string): Hex {
  const k = key.trim();
  const hex = (k.startsWith("0x") ? k : `0x${k}`) as Hex;
  if (!/^0x[0-9a-fA-F]{64}$/.test(hex))
    throw new Error("the private key must be 32 bytes of hex (64 hex digits, optional 0x)");
  return hex;
}

/** Encrypts `privateKey` with `password`. `N` is scrypt's cost (2^17 by default). */
export function encryptKeystore(privateKey: string, password: string, N = DEFAULT_N): KeystoreFile {
  if (password.length < 8) throw new Error("the keystore password must have at least 8 characters");
  const key = checkKey(privateKey);
  const kdfparams = { N, r: 8, p: 1, dklen: 32 as const, salt: randomBytes(32).toString("hex") };
  const dk = derive(password, kdfparams);
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", dk, iv);
  const address = privateKeyToAccount(key).address;
  cipher.setAAD(Buffer.from(address.toLowerCase()));
  const ciphertext = Buffer.concat([cipher.update(Buffer.from(key.slice(2), "hex")), cipher.final()]);
  return {
    version: 1,
    address,
    kdf: "scrypt",
    kdfparams,
    cipher: "aes-256-gcm",
    iv: iv.toString("hex"),
    ciphertext: ciphertext.toString("hex"),
    tag: cipher.getAuthTag().toString("hex"),
  };
}

/** Decrypts a keystore; a wrong password or a tampered file throws (GCM authentication). */
export function decryptKeystore(ks: KeystoreFile, password: string): Hex {
  if (ks.version !== 1 || ks.kdf !== "scrypt" || ks.cipher !== "aes-256-gcm")
    throw new Error("unsupported keystore format");
  const dk = derive(password, ks.kdfparams);
  const decipher = createDecipheriv("aes-256-gcm", dk, Buffer.from(ks.iv, "hex"));
  decipher.setAAD(Buffer.from(ks.address.toLowerCase()));
  decipher.setAuthTag(Buffer.from(ks.tag, "hex"));
  let plain: Buffer;
  try {
    plain = Buffer.concat([decipher.update(Buffer.from(ks.ciphertext, "hex")), decipher.final()]);
  } catch {
    throw new Error("cannot decrypt the keystore: wrong password or corrupted file");
  }
  const key = `0x${plain.toString("hex")}` as Hex;
  const addr = privateKeyToAccount(key).address;
  if (!timingSafeEqual(Buffer.from(addr.toLowerCase()), Buffer.from(ks.address.toLowerCase()))) {
    throw new Error("keystore address does not match its key");
  }
  return key;
}

export function writeKeystore(path: string, ks: KeystoreFile): void {
  writeFileSync(path, JSON.stringify(ks, null, 2) + "\n", { mode: 0o600 });
}

/**
 * The signer: KEEPER_PRIVATE_KEY wins, else `keystorePath` decrypted with KEEPER_KEYSTORE_PASSWORD.
 * Returns undefined when neither is configured (read-only commands still work).
 */
export function loadAccount(
  env: NodeJS.ProcessEnv,
  keystorePath: string | undefined,
): PrivateKeyAccount | undefined {
  if (env.KEEPER_PRIVATE_KEY) return privateKeyToAccount(checkKey(env.KEEPER_PRIVATE_KEY));
  if (keystorePath) {
    const password = env.KEEPER_KEYSTORE_PASSWORD;
    if (!password) throw new Error("keystore configured but KEEPER_KEYSTORE_PASSWORD is not set");
    const ks = JSON.parse(readFileSync(keystorePath, "utf8")) as KeystoreFile;
    return privateKeyToAccount(decryptKeystore(ks, password));
  }
  return undefined;
}
