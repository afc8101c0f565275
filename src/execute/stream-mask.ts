/**
 * Masking a byte stream. A step's output comes in chunks cut wherever the
 * pipe cut them, so a secret may begin in one chunk and end in the next (or
 * the next ten). The masker keeps back the shortest tail of what it saw that
 * could still grow into a secret, and nothing else: the bytes it lets out are
 * exactly those that masking the whole stream in one piece would give, leftmost
 * match first and, at one position, the longest form (as a regex alternation
 * of the forms sorted longest first does). Bytes stay bytes: output that is
 * not UTF-8 reaches the log as it was written.
 */

export class StreamMasker {
  /** The end of what came in that could be the start of a secret: held until it is told apart. */
  private carry: Buffer | undefined
  private readonly longest: number
  /** Which bytes start a form: most tail positions are ruled out by one lookup. */
  private readonly starts = new Uint8Array(256)

  /** `forms`: the byte forms to hide, longest first, none empty. */
  constructor(
    private readonly forms: readonly Buffer[],
    private readonly replacement: Buffer,
  ) {
    this.longest = Math.max(0, ...forms.map((f) => f.length))
    for (const form of forms) this.starts[form[0]!] = 1
  }

  /** The masked bytes that can go out now, in order (none while all of it could still be a secret). */
  push(data: Buffer): Buffer[] {
    if (data.length === 0) return []
    const buf = this.carry ? Buffer.concat([this.carry, data]) : data
    this.carry = undefined
    return this.scan(buf, false)
  }

  /** The stream ended: what was held goes out, masked where it is whole. */
  end(): Buffer[] {
    const buf = this.carry
    this.carry = undefined
    return buf ? this.scan(buf, true) : []
  }

  private scan(buf: Buffer, last: boolean): Buffer[] {
    const out: Buffer[] = []
    // Positions from which the rest of `buf` could still become a form: no match may start there yet.
    const open = last ? [] : this.openTails(buf)
    // The next place each form occurs at or after `from` (-1: nowhere).
    const next = this.forms.map((form) => buf.indexOf(form))
    let from = 0
    for (;;) {
      let at = -1
      let form = -1
      for (let k = 0; k < next.length; k++) {
        if (next[k]! !== -1 && next[k]! < from) next[k] = buf.indexOf(this.forms[k]!, from)
        const pos = next[k]!
        // Strictly less: at one position the longer form (earlier in the list) wins.
        if (pos !== -1 && (at === -1 || pos < at)) {
          at = pos
          form = k
        }
      }
      const stop = open.find((p) => p >= from) ?? buf.length
      // A match at or after `stop` could be the start of a longer form that the next chunk completes.
      if (at === -1 || at >= stop) {
        if (stop > from) out.push(buf.subarray(from, stop))
        if (stop < buf.length) this.carry = Buffer.from(buf.subarray(stop))
        return out
      }
      if (at > from) out.push(buf.subarray(from, at))
      out.push(this.replacement)
      from = at + this.forms[form]!.length
    }
  }

  /**
   * The positions, ascending, from which the rest of `buf` is a proper
   * beginning of some form (only the last `longest - 1` bytes can be).
   */
  private openTails(buf: Buffer): number[] {
    const end = buf.length
    const open: number[] = []
    for (let p = Math.max(0, end - this.longest + 1); p < end; p++) {
      if (this.starts[buf[p]!] === 0) continue
      const tail = end - p
      if (this.forms.some((form) => form.length > tail && buf.compare(form, 0, tail, p, end) === 0)) open.push(p)
    }
    return open
  }
}
