import { expect } from "chai";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import {
  decryptKeystore,
  encryptKeystore,
  loadAccount,
  writeKeystore,
} from "../../../keeper/shell/keystore.ts";
import { createLogger, secretVariants } from "../../../keeper/shell/log.ts";
import { LogSink, tempDb } from "./world.ts";

describe("keeper secrets", () => {
  it("keystore round-trips and binds the address", () => {
    const key = generatePrivateKey();
    const ks = encryptKeystore(key, "correct horse battery", 1 << 12);
    expect(ks.address).to.equal(privateKeyToAccount(key).address);
    expect(JSON.stringify(ks)).to.not.include(key.slice(2));
    expect(decryptKeystore(ks, "correct horse battery")).to.equal(key);
  });

  it("keystore rejects a wrong password and a tampered file", () => {
    const ks = encryptKeystore(generatePrivateKey(), "correct horse battery", 1 << 12);
    expect(() => decryptKeystore(ks, "wrong password!")).to.throw(/wrong password/);
    const flipped = { ...ks, ciphertext: (ks.ciphertext[0] === "0" ? "1" : "0") + ks.ciphertext.slice(1) };
    expect(() => decryptKeystore(flipped, "correct horse battery")).to.throw(/wrong password or corrupted/);
    const otherAddr = { ...ks, address: privateKeyToAccount(generatePrivateKey()).address };
    expect(() => decryptKeystore(otherAddr, "correct horse battery")).to.throw();
  });

  it("loads the signer from the environment or the keystore", () => {
    const key = generatePrivateKey();
    expect(loadAccount({ KEEPER_PRIVATE_KEY: key }, undefined)?.address).to.equal(
      privateKeyToAccount(key).address,
    );
    const path = tempDb("ks").replace(/sqlite$/, "json");
    writeKeystore(path, encryptKeystore(key, "pw-123456789", 1 << 12));
    expect(loadAccount({ KEEPER_KEYSTORE_PASSWORD: "pw-123456789" }, path)?.address).to.equal(
      privateKeyToAccount(key).address,
    );
    expect(() => loadAccount({}, path)).to.throw(/KEEPER_KEYSTORE_PASSWORD/);
    expect(loadAccount({}, undefined)).to.equal(undefined);
    expect(() => loadAccount({ KEEPER_PRIVATE_KEY: "0x1234" }, undefined)).to.throw(/32 bytes/);
  });

  it("logs never contain an RPC URL's path or query (API keys), in messages, fields or errors", () => {
    const url = "https://eth-mainnet.example.org/v2/SuperSecretApiKey123?token=abc";
    const sink = new LogSink();
    const log = createLogger("trace", sink, { urls: [url] });
    log.warn(`request to ${url} failed`);
    log.error({ err: new Error(`HTTP request failed.\n\nURL: ${url}`), endpoint: { url } }, "rpc error");
    const text = sink.text();
    expect(text).to.not.include("SuperSecretApiKey123");
    expect(text).to.include("https://eth-mainnet.example.org/[redacted]");
  });

  it("logs never contain the private key (redaction by field name and by value)", () => {
    const key = generatePrivateKey();
    const sink = new LogSink();
    const log = createLogger("trace", sink, secretVariants(key));
    log.info({ privateKey: key }, "top-level field");
    log.info({ config: { signer: { privateKey: key } } }, "nested field");
    log.info({ env: { KEEPER_PRIVATE_KEY: key, KEEPER_KEYSTORE_PASSWORD: "hunter2hunter2" } }, "env object");
    log.warn(`free text with the key ${key} inside`);
    log.error({ err: new Error(`boom ${key.slice(2).toUpperCase()}`) }, "error with key in message");
    log.child({ password: "hunter2hunter2" }).info("child binding");
    log.child({ ctx: `bound ${key}` }).info("child binding with the key as a value");
    log.info(
      { detail: { note: `key is ${key}`, list: [key.toUpperCase()] } },
      "secret value under an innocent field name",
    );
    const text = sink.text();
    expect(sink.lines).to.have.length(8);
    expect(text.toLowerCase()).to.not.include(key.slice(2).toLowerCase());
    expect(text).to.not.include("hunter2hunter2");
    expect(text).to.include("[redacted]");
    // still structured JSON
    for (const line of sink.lines) expect(() => JSON.parse(line)).to.not.throw();
  });
});
