/**
 * A line that rewrites itself in place on a terminal (the demo's status line). It is kept
 * narrower than the terminal, so it never wraps, and `end()` finishes it with a newline, so
 * whatever is printed next (the stop notice) starts on a line of its own.
 */

/** The terminal width to fit a line in: one column short of the edge, where some terminals wrap. */
export function fitWidth(out: { columns?: number }): number {
  const columns = typeof out.columns === 'number' && out.columns > 0 ? out.columns : 80;
  return Math.max(20, columns - 1);
}

/** An in-place line on `out`. */
export class LiveLine {
  #shown = false;

  constructor(private readonly out: NodeJS.WritableStream) {}

  /** Replaces the line's text. */
  update(text: string): void {
    this.out.write(`\r\x1b[2K${text}`);
    this.#shown = true;
  }

  /** Ends the line (idempotent): the next write starts on a new line. */
  end(): void {
    if (!this.#shown) return;
    this.out.write('\n');
    this.#shown = false;
  }
}
