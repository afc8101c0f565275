/**
 * Splits a byte stream into lines without holding more than one line: output
 * floods stream through, and a line with no newline in sight is cut at
 * `maxLine` characters rather than buffered without bound.
 */
import {StringDecoder} from 'node:string_decoder'

export interface Line {
  text: string
  /** False for a line cut at `maxLine` or the last one when the stream ended without a newline. */
  newline: boolean
}

export class LineSplitter {
  private decoder = new StringDecoder('utf8')
  private partial = ''

  constructor(private readonly maxLine = 64 * 1024) {}

  push(chunk: Buffer | string): Line[] {
    const text = this.partial + (typeof chunk === 'string' ? chunk : this.decoder.write(chunk))
    const out: Line[] = []
    let start = 0
    for (let nl = text.indexOf('\n', start); nl !== -1; nl = text.indexOf('\n', start)) {
      this.cut(text.slice(start, nl), out, true)
      start = nl + 1
    }
    let rest = text.slice(start)
    while (rest.length >= this.maxLine) {
      out.push({text: rest.slice(0, this.maxLine), newline: false})
      rest = rest.slice(this.maxLine)
    }
    this.partial = rest
    return out
  }

  end(): Line[] {
    const rest = this.partial + this.decoder.end()
    this.partial = ''
    return rest ? [{text: rest, newline: false}] : []
  }

  private cut(line: string, out: Line[], newline: boolean): void {
    while (line.length > this.maxLine) {
      out.push({text: line.slice(0, this.maxLine), newline: false})
      line = line.slice(this.maxLine)
    }
    out.push({text: line, newline})
  }
}
