// The solc wasm build (npm package `solc`) receives its standard-JSON input through Emscripten's
// `cwrap(..., ["string", ...])`, which copies the string onto the wasm stack. The stack is small,
// so an input above about 1.3 MB (our contracts plus forge-std plus OpenZeppelin) crashes solc with
// "RuntimeError: memory access out of bounds" (Hardhat: HHE908). This module is what
// hardhat.config.ts gives Hardhat as the compiler `path`: the same soljson.js, except that
// `solidity_compile`'s input is copied to the heap (solidity_alloc) instead of the stack.
"use strict";
const soljson = require("solc/soljson.js");

function heapCompile() {
  const compile = soljson.cwrap("solidity_compile", "number", ["number", "number", "number"]);
  return (input, callbackPtr, contextPtr) => {
    const length = soljson.lengthBytesUTF8(input) + 1;
    const inputPtr = soljson._solidity_alloc(length);
    try {
      soljson.stringToUTF8(input, inputPtr, length);
      const outputPtr = compile(inputPtr, callbackPtr ?? 0, contextPtr ?? 0);
      return soljson.UTF8ToString(outputPtr);
    } finally {
      soljson._solidity_free(inputPtr);
    }
  };
}

module.exports = {
  ...soljson,
  cwrap(name, returnType, argTypes) {
    if (name === "solidity_compile") return heapCompile();
    return soljson.cwrap(name, returnType, argTypes);
  },
};
