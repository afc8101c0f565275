/**
 * A step's screen, as a terminal would draw it: the step's bytes go through
 * a headless xterm, so `\r` progress bars, cursor moves and colours end as the
 * rows a person saw. Rows that scroll off the top are final and become log
 * lines; the rows still on screen become log lines when the step ends.
 */
import xterm from '@xterm/headless'

/** Scrollback the emulator keeps; rows are taken out of it after every write, long before it fills. */
const SCROLLBACK = 2000

export class StepScreen {
  private readonly term: InstanceType<typeof xterm.Terminal>
  /** Rows scrolled off the top since the start (the emulator forgets the oldest, this count does not). */
  private scrolled = 0
  /** Absolute number of the next row to hand out as a final line. */
  private emitted = 0
  private writing: Promise<void> = Promise.resolve()

  constructor(
    cols: number,
    rows: number,
    /** A row that will not change any more, in order, text only (trailing blanks cut). */
    private readonly onFinalLine: (line: string) => void,
  ) {
    this.term = new xterm.Terminal({cols, rows, scrollback: SCROLLBACK, allowProposedApi: true})
    // Only the normal screen scrolls rows into the log; a full-screen program's alternate screen keeps none.
    this.term.onScroll(() => {
      if (this.term.buffer.active.type === 'normal') this.scrolled++
    })
  }

  get cols(): number {
    return this.term.cols
  }

  get rows(): number {
    return this.term.rows
  }

  /** Feeds output; resolves once the emulator has drawn it and the rows that scrolled off went out. */
  write(data: string | Uint8Array): Promise<void> {
    this.writing = new Promise<void>((resolve) => this.term.write(data, resolve)).then(() => this.takeScrolled())
    return this.writing
  }

  /** Resolves when everything written so far is drawn. */
  drained(): Promise<void> {
    return this.writing
  }

  resize(cols: number, rows: number): void {
    if (cols > 0 && rows > 0 && (cols !== this.term.cols || rows !== this.term.rows)) this.term.resize(cols, rows)
  }

  /** The rows on screen now, top to bottom, trailing blank rows dropped. */
  visibleRows(): string[] {
    const buffer = this.term.buffer.active
    const out: string[] = []
    for (let i = 0; i < this.term.rows; i++) out.push(buffer.getLine(buffer.baseY + i)?.translateToString(true) ?? '')
    while (out.length > 0 && out.at(-1) === '' && out.length > buffer.cursorY + 1) out.pop()
    return out
  }

  /** The cursor, on the visible rows. */
  cursor(): {row: number; col: number} {
    const buffer = this.term.buffer.active
    return {row: buffer.cursorY, col: buffer.cursorX}
  }

  /** The cursor's row counted from the first row the step ever printed. */
  cursorLine(): number {
    return this.scrolled + this.term.buffer.active.cursorY
  }

  /**
   * What a program waiting for input asked: the cursor's row up to the cursor,
   * or when that is empty (the prompt ended with a newline) the last row above
   * it with text, but nothing at or above row `after` (an answered prompt).
   */
  promptLine(after = -1): string {
    const buffer = this.term.buffer.active
    const here = buffer.getLine(buffer.baseY + buffer.cursorY)?.translateToString(true, 0, buffer.cursorX) ?? ''
    if (here.trim() !== '') return here.trimEnd()
    for (let y = buffer.cursorY - 1; y >= 0 && this.scrolled + y > after; y--) {
      const text = buffer.getLine(buffer.baseY + y)?.translateToString(true) ?? ''
      if (text.trim() !== '') return text.trimEnd()
    }
    return ''
  }

  /** The step ended: what is still on screen becomes final lines (up to the cursor or the last row with text). */
  async finish(): Promise<void> {
    await this.writing
    this.takeScrolled()
    const buffer = this.term.buffer.normal
    const rows: string[] = []
    for (let i = 0; i < this.term.rows; i++) rows.push(buffer.getLine(buffer.baseY + i)?.translateToString(true) ?? '')
    while (rows.length > buffer.cursorY + 1 && rows.at(-1) === '') rows.pop()
    // A cursor alone on a blank last row (after a final newline) is no line.
    const last = rows.length - 1 === buffer.cursorY && rows.at(-1) === '' ? rows.length - 1 : rows.length
    const start = Math.max(0, this.emitted - this.scrolled)
    for (let i = start; i < last; i++) this.onFinalLine(rows[i]!.trimEnd())
    this.emitted = this.scrolled + last
  }

  dispose(): void {
    this.term.dispose()
  }

  private takeScrolled(): void {
    const buffer = this.term.buffer.normal
    // Rows the emulator already forgot (more than its scrollback in one write) are lost; start at the oldest it has.
    const oldest = this.scrolled - buffer.baseY
    if (this.emitted < oldest) this.emitted = oldest
    for (; this.emitted < this.scrolled; this.emitted++) {
      this.onFinalLine(buffer.getLine(this.emitted - oldest)?.translateToString(true).trimEnd() ?? '')
    }
  }
}
