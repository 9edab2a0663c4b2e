/** A tiny progress bar on stderr (no dependency): redraws one line, only on a TTY or when forced. */

export interface Progress {
  update(done: number, note?: string): void;
  finish(note?: string): void;
}

export function createProgress(
  total: number,
  opts: { stream?: NodeJS.WriteStream; width?: number; force?: boolean } = {},
): Progress {
  const stream = opts.stream ?? process.stderr;
  const width = opts.width ?? 30;
  const interactive = opts.force === true || stream.isTTY === true;
  const started = Date.now();
  let lastDraw = 0;
  let lastPct = -1;
  const render = (done: number, note: string): string => {
    const f = total > 0 ? Math.min(1, done / total) : 1;
    const filled = Math.round(f * width);
    const elapsed = (Date.now() - started) / 1000;
    const eta = f > 0 && f < 1 ? ` eta ${Math.round((elapsed / f) * (1 - f))}s` : "";
    return `[${"#".repeat(filled)}${".".repeat(width - filled)}] ${String(Math.round(f * 100)).padStart(3)}% ${done}/${total} ${elapsed.toFixed(0)}s${eta} ${note}`;
  };
  return {
    update(done, note = "") {
      const now = Date.now();
      const pctNow = Math.floor((done / Math.max(1, total)) * 100);
      if (interactive) {
        if (now - lastDraw < 100 && done < total) return;
        lastDraw = now;
        stream.write(
          `\r${render(done, note)
            .slice(0, (stream.columns ?? 120) - 1)
            .padEnd(Math.min(119, (stream.columns ?? 120) - 1))}`,
        );
      } else if (pctNow >= lastPct + 10) {
        // Not a terminal (CI, a pipe): one line every 10%.
        lastPct = pctNow - (pctNow % 10);
        stream.write(`${render(done, note)}\n`);
      }
    },
    finish(note = "done") {
      if (interactive) stream.write(`\r${render(total, note)}\n`);
      else stream.write(`${render(total, note)}\n`);
    },
  };
}
