/**
 * One output stream of a step, taken chunk by chunk: lines (masked) go to the
 * reporter as they complete, and the same text goes to the step log. The
 * stream may be a pipe of the step's own shell or a stretch of the shared
 * shell's pipe between two markers; the pump does not care which.
 */
import {isUtf8} from 'node:buffer'
import {LineSplitter} from './lines.js'
import type {StepLog} from './step-log.js'
import type {Masker} from './secrets.js'

export type StreamName = 'stdout' | 'stderr'

export interface PumpOptions {
  masker: Masker
  log?: StepLog
  onLine?: (stream: StreamName, line: string) => void
}

export class LinePump {
  private readonly splitter = new LineSplitter()
  /** The decoder holds no bytes of an unfinished character (true after any chunk that is whole UTF-8). */
  private clean = true
  private chunk = ''
  private ended = false

  constructor(
    private readonly name: StreamName,
    private readonly opts: PumpOptions,
  ) {}

  take(data: Buffer): void {
    if (this.ended || data.length === 0) return
    const {masker, log} = this.opts
    if (!masker.empty) {
      this.splitter.each(data, this.masked)
      this.flush()
      return
    }
    // Nothing to hide: the lines go to the log as one piece, as the splitter found them.
    const before = this.splitter.pending
    const text = this.splitter.each(data, this.plain)
    const whole = isUtf8(data)
    if (this.clean && whole && !this.splitter.cut && text.endsWith('\n')) {
      // The same bytes as encoding `text` would give, without encoding it: the line
      // begun in earlier chunks, then this chunk up to its last newline.
      log?.writeBytes(data.subarray(0, data.lastIndexOf(10) + 1), before)
    } else {
      log?.write(text)
    }
    this.clean = whole
  }

  /** The stream ended: a last line without a newline goes out too. */
  end(): void {
    if (this.ended) return
    this.ended = true
    for (const line of this.splitter.end()) this.masked(line.text, line.newline)
    this.flush()
  }

  private readonly masked = (text: string, newline: boolean): void => {
    const shown = this.opts.masker.mask(text)
    this.opts.onLine?.(this.name, shown)
    this.chunk += newline ? shown + '\n' : shown
  }

  private readonly plain = (text: string): void => {
    this.opts.onLine?.(this.name, text)
  }

  private flush(): void {
    this.opts.log?.write(this.chunk)
    this.chunk = ''
  }
}
