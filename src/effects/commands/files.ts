/**
 * Programs that write, move, delete or re-own files.
 */
import {posix} from 'node:path'
import type {FileOp} from '../effect-types.js'
import type {Arg} from '../shell/words.js'
import {fileEffect, literal, urlFileName, type Ctx, type Handler} from './context.js'
import {getopt, has, last} from './getopt.js'

function each(ctx: Ctx, op: FileOp, args: Arg[], via: string, recursive = false): void {
  for (const arg of args) fileEffect(ctx, op, arg, via, recursive ? {recursive} : {})
}

/** `cp`, `mv`, `install`, `ln`: sources and a destination file or directory. */
function copyLike(ctx: Ctx, via: string, op: FileOp, operands: Arg[], targetDir: Arg | undefined, recursive: boolean): Arg[] {
  const sources = targetDir ? operands : operands.slice(0, -1)
  const dest = targetDir ?? operands[operands.length - 1]
  if (!dest || sources.length === 0) return sources
  const names = sources.map((s) => (s.value === null ? null : posix.basename(s.value)))
  const intoDir = targetDir !== undefined || sources.length > 1 || (dest.value ?? '').endsWith('/')
  if (intoDir && dest.value !== null && names.every((n) => n !== null)) {
    for (const n of names) fileEffect(ctx, op, literal(posix.join(dest.value, n!)), via, recursive ? {recursive} : {})
  } else {
    const into = names.every((n) => n !== null) && !intoDir ? {into: names as string[]} : {}
    fileEffect(ctx, op, dest, via, {...into, ...(recursive ? {recursive} : {})})
  }
  return sources
}

const tee: Handler = (args, ctx) => {
  const o = getopt(args, {long: ['output-error']})
  each(ctx, has(o, 'a', 'append') ? 'append' : 'write', o.operands, 'tee')
}

const cp: Handler = (args, ctx) => {
  const o = getopt(args, {short: 'tS', long: ['target-directory', 'suffix', 'backup', 'sparse', 'reflink', 'preserve'], alias: {'target-directory': 't'}})
  copyLike(ctx, 'cp', 'write', o.operands, last(o, 't'), has(o, 'r', 'R', 'a', 'recursive', 'archive'))
}

const mv: Handler = (args, ctx) => {
  const o = getopt(args, {short: 'tS', long: ['target-directory', 'suffix'], alias: {'target-directory': 't'}})
  const sources = copyLike(ctx, 'mv', 'write', o.operands, last(o, 't'), true)
  each(ctx, 'delete', sources, 'mv', true)
}

const install: Handler = (args, ctx) => {
  const o = getopt(args, {short: 'mogtS', long: ['mode', 'owner', 'group', 'target-directory', 'suffix'], alias: {'target-directory': 't'}})
  if (has(o, 'd', 'directory')) each(ctx, 'create-dir', o.operands, 'install')
  else copyLike(ctx, 'install', 'write', o.operands, last(o, 't'), false)
}

const sed: Handler = (args, ctx) => {
  // `-i` takes an optional suffix glued to it (`-i.bak`), which getopt cannot express.
  let suffix: string | null = null
  let inPlace = false
  const rest: Arg[] = []
  for (const a of args) {
    const v = a.value ?? ''
    if (v === '-i' || v === '--in-place') inPlace = true
    else if (v.startsWith('--in-place=')) [inPlace, suffix] = [true, v.slice(11)]
    else if (/^-[nErsuz]*i/.test(v) && !v.startsWith('--')) {
      inPlace = true
      const after = v.slice(v.indexOf('i') + 1)
      if (after) suffix = after
    } else rest.push(a)
  }
  if (!inPlace) return
  const o = getopt(rest, {short: 'efl', long: ['expression', 'file', 'line-length'], alias: {expression: 'e', file: 'f'}})
  const files = has(o, 'e', 'f') ? o.operands : o.operands.slice(1)
  each(ctx, 'edit', files, 'sed')
  if (suffix) for (const f of files) if (f.value !== null) fileEffect(ctx, 'write', literal(f.value + suffix), 'sed')
}

const perl: Handler = (args, ctx, name) => {
  const o = getopt(args, {short: 'eEIMm', long: []})
  if (!has(o, 'i')) return ctx.add({kind: 'unknown', via: name})
  each(ctx, 'edit', has(o, 'e', 'E') ? o.operands : o.operands.slice(1), name)
}

const mkdir: Handler = (args, ctx) => each(ctx, 'create-dir', getopt(args, {short: 'mZ', long: ['mode', 'context']}).operands, 'mkdir')

const touch: Handler = (args, ctx) => {
  const o = getopt(args, {short: 'dtr', long: ['date', 'reference', 'time']})
  each(ctx, 'touch', o.operands, 'touch')
}

const rm: Handler = (args, ctx, name) => {
  const o = getopt(args, {long: ['interactive']})
  each(ctx, 'delete', o.operands, name, has(o, 'r', 'R', 'recursive') || name !== 'rm')
}

/** `chmod`, `chown`, `chgrp`: the first operand is a mode or an owner, even one like `-x`. */
const metadata: Handler = (args, ctx, name) => {
  const flags = new Set(['-R', '-v', '-c', '-f', '-h', '-H', '-L', '-P', '--recursive', '--verbose', '--changes', '--silent', '--quiet', '--dereference', '--no-dereference'])
  let recursive = false
  let needSpec = true
  const files: Arg[] = []
  for (const a of args) {
    const v = a.value ?? ''
    if (flags.has(v)) recursive ||= v === '-R' || v === '--recursive'
    else if (v.startsWith('--reference=')) needSpec = false
    else if (v.startsWith('--')) continue
    else if (needSpec) needSpec = false
    else files.push(a)
  }
  each(ctx, 'metadata', files, name, recursive)
}

const ln: Handler = (args, ctx) => {
  const o = getopt(args, {short: 'tS', long: ['target-directory', 'suffix'], alias: {'target-directory': 't'}})
  const ops = o.operands
  if (ops.length === 1 && !last(o, 't')) {
    if (ops[0]!.value !== null) fileEffect(ctx, 'link', literal(posix.basename(ops[0]!.value)), 'ln')
    return
  }
  copyLike(ctx, 'ln', 'link', ops, last(o, 't'), false)
}

const truncate: Handler = (args, ctx) => each(ctx, 'write', getopt(args, {short: 'sr', long: ['size', 'reference']}).operands, 'truncate')

const dd: Handler = (args, ctx) => {
  for (const a of args) if (a.value?.startsWith('of=')) fileEffect(ctx, 'write', literal(a.value.slice(3)), 'dd')
}

const tar: Handler = (args, ctx) => {
  // Old-style `tar xzf F`: a first word without a dash is a bundle of flags.
  const first = args[0]?.value ?? ''
  const norm = first && !first.startsWith('-') ? [literal('-' + first), ...args.slice(1)] : args
  const o = getopt(norm, {short: 'fCTXbHKgVN', long: ['file', 'directory', 'exclude', 'transform', 'owner', 'group', 'mode', 'use-compress-program', 'files-from'], alias: {file: 'f', directory: 'C'}})
  if (has(o, 'x', 'extract', 'get')) fileEffect(ctx, 'extract', last(o, 'C') ?? literal('.'), 'tar', {recursive: true})
  else if (has(o, 'c', 'create', 'r', 'append', 'u', 'update')) {
    const file = last(o, 'f')
    if (file) fileEffect(ctx, 'write', file, 'tar')
  }
}

const unzip: Handler = (args, ctx) => {
  const o = getopt(args, {short: 'dxP', long: []})
  if (has(o, 'l', 't', 'v', 'Z', 'p')) return
  fileEffect(ctx, 'extract', last(o, 'd') ?? literal('.'), 'unzip', {recursive: true})
}

const CURL_VALUED = ['o', 'output', 'output-dir', 'd', 'data', 'data-raw', 'data-binary', 'data-urlencode', 'data-ascii', 'X', 'request', 'F', 'form', 'T', 'upload-file', 'H', 'header', 'u', 'user', 'A', 'user-agent', 'e', 'referer', 'x', 'proxy', 'm', 'max-time', 'connect-timeout', 'retry', 'retry-delay', 'retry-max-time', 'w', 'write-out', 'b', 'cookie', 'c', 'cookie-jar', 'K', 'config', 'cacert', 'capath', 'cert', 'key', 'E', 'r', 'range', 'z', 'time-cond', 'y', 'Y', 'C', 'continue-at', 'resolve', 'interface', 'limit-rate', 'max-filesize', 'proto', 'proto-redir', 'oauth2-bearer', 'url', 'json', 'unix-socket', 'dns-servers', 'Q', 'quote', 'D', 'dump-header', 'stderr', 'trace', 'trace-ascii']

const curl: Handler = (args, ctx) => {
  const short = CURL_VALUED.filter((n) => n.length === 1).join('')
  const o = getopt(args, {short, long: CURL_VALUED.filter((n) => n.length > 1), alias: {output: 'o', 'remote-name': 'O', 'remote-name-all': 'O', request: 'X', 'cookie-jar': 'c', 'dump-header': 'D', 'upload-file': 'T', form: 'F'}})
  const sends = ['d', 'data', 'data-raw', 'data-binary', 'data-urlencode', 'data-ascii', 'F', 'T', 'json'].some((n) => o.values.has(n))
  const method = last(o, 'X')?.value?.toUpperCase()
  if (sends || (method && method !== 'GET' && method !== 'HEAD')) {
    ctx.add({kind: 'irreversible', via: 'curl', reason: 'sends data to a remote service'})
  }
  for (const out of [...(o.values.get('o') ?? []), ...(o.values.get('c') ?? []), ...(o.values.get('D') ?? [])]) fileEffect(ctx, 'download', out, 'curl')
  if (has(o, 'O')) {
    const dir = last(o, 'output-dir')?.value
    for (const url of [...o.operands, ...(o.values.get('url') ?? [])]) {
      const name = url.value === null ? null : urlFileName(url.value)
      if (name === null) fileEffect(ctx, 'download', {...url, prefix: ''}, 'curl')
      else fileEffect(ctx, 'download', literal(dir ? posix.join(dir, name) : name), 'curl')
    }
  }
}

const wget: Handler = (args, ctx) => {
  const o = getopt(args, {short: 'OPoatTUeiwQlADRIXBY', long: ['output-document', 'directory-prefix', 'output-file', 'append-output', 'tries', 'timeout', 'user-agent', 'header', 'input-file', 'post-data', 'post-file', 'method', 'body-data', 'user', 'password', 'http-user', 'http-password', 'wait', 'quota', 'level', 'accept', 'reject', 'domains'], alias: {'output-document': 'O', 'directory-prefix': 'P', 'output-file': 'o', 'append-output': 'a', 'input-file': 'i'}})
  if (has(o, 'post-data', 'post-file', 'body-data')) ctx.add({kind: 'irreversible', via: 'wget', reason: 'sends data to a remote service'})
  for (const log of [...(o.values.get('o') ?? []), ...(o.values.get('a') ?? [])]) fileEffect(ctx, 'write', log, 'wget')
  const doc = last(o, 'O')
  if (doc) return fileEffect(ctx, 'download', doc, 'wget')
  const dir = last(o, 'P')?.value
  for (const url of o.operands) {
    const name = url.value === null ? null : urlFileName(url.value) ?? 'index.html'
    if (name === null) fileEffect(ctx, 'download', {...url, prefix: ''}, 'wget')
    else fileEffect(ctx, 'download', literal(dir ? posix.join(dir, name) : name), 'wget')
  }
}

const gpg: Handler = (args, ctx, name) => {
  const o = getopt(args, {short: 'oruk', long: ['output', 'keyring', 'primary-keyring', 'homedir', 'keyserver', 'recipient', 'local-user', 'default-key', 'passphrase', 'passphrase-file', 'trust-model', 'keyid-format', 'export-options', 'import-options'], alias: {output: 'o'}})
  for (const out of o.values.get('o') ?? []) fileEffect(ctx, 'write', out, name)
  const changesKeys = ['import', 'recv-keys', 'receive-keys', 'fetch-keys', 'delete-key', 'delete-keys', 'delete-secret-keys', 'lsign-key', 'sign-key', 'quick-gen-key', 'gen-key', 'full-generate-key', 'refresh-keys'].some((f) => has(o, f))
  if (!changesKeys) return
  const keyring = last(o, 'keyring') ?? last(o, 'primary-keyring')
  if (keyring) {
    const text = keyring.value === null ? null : keyring.value.replace(/^gnupg-(ring|kbx):/, '')
    if (text !== null && text.startsWith('/')) return fileEffect(ctx, 'keyring', literal(text), name)
  }
  const home = last(o, 'homedir')?.value ?? (ctx.vars.get('GNUPGHOME') || (ctx.vars.get('HOME') ? `${ctx.vars.get('HOME')}/.gnupg` : null))
  fileEffect(ctx, 'keyring', home ? literal(home) : {value: null, raw: '~/.gnupg', prefix: '', procSubst: false}, name, {recursive: true})
}

const aptKey: Handler = (args, ctx) => {
  const o = getopt(args, {long: ['keyring'], stopAtOperand: true})
  const sub = o.operands[0]?.value
  if (!sub || ['list', 'finger', 'fingerprint', 'export', 'exportall'].includes(sub)) return
  fileEffect(ctx, 'keyring', last(o, 'keyring') ?? literal('/etc/apt/trusted.gpg'), 'apt-key')
}

const addAptRepository: Handler = (_args, ctx) => {
  for (const dir of ['/etc/apt/sources.list.d', '/etc/apt/trusted.gpg.d']) {
    fileEffect(ctx, 'write', {value: null, raw: dir + '/*', prefix: dir + '/', procSubst: false}, 'add-apt-repository')
  }
  ctx.add({kind: 'package', op: 'refresh', manager: 'apt', packages: [], via: 'add-apt-repository'})
}

/** openssl takes single-dash long options: `-out FILE`, `-keyout FILE`. */
const openssl: Handler = (args, ctx) => {
  for (const [i, a] of args.entries()) if ((a.value === '-out' || a.value === '-keyout') && args[i + 1]) fileEffect(ctx, 'write', args[i + 1]!, 'openssl')
}

const htpasswd: Handler = (args, ctx) => {
  const o = getopt(args, {short: 'C', long: []})
  if (has(o, 'n', 'v')) return
  if (o.operands[0]) fileEffect(ctx, 'write', o.operands[0], 'htpasswd')
}

const git: Handler = (args, ctx) => {
  const o = getopt(args, {short: 'Cc', long: ['git-dir', 'work-tree'], stopAtOperand: true})
  const [sub, ...rest] = o.operands
  if (sub?.value !== 'clone') {
    if (!['status', 'log', 'diff', 'show', 'rev-parse', 'describe', 'ls-remote', 'version', '--version'].includes(sub?.value ?? '')) ctx.add({kind: 'unknown', via: 'git'})
    return
  }
  const c = getopt(rest, {short: 'bbojc', long: ['branch', 'depth', 'origin', 'jobs', 'config', 'reference', 'separate-git-dir', 'filter']})
  const [url, dir] = c.operands
  const name = dir ?? (url?.value ? literal(posix.basename(url.value).replace(/\.git$/, '')) : undefined)
  if (name) fileEffect(ctx, 'create-dir', name, 'git', {recursive: true})
}

const editor: Handler = (args, ctx, name) => {
  for (const a of args) if (a.value === null || (!a.value.startsWith('-') && !a.value.startsWith('+'))) fileEffect(ctx, 'edit', a, name)
}

export const fileCommands: Record<string, Handler> = {
  tee, cp, mv, install, sed, perl, mkdir, touch, rm, rmdir: rm, unlink: rm, ln, truncate, dd, tar, unzip,
  chmod: metadata, chown: metadata, chgrp: metadata, curl, wget, gpg, gpg2: gpg, 'apt-key': aptKey,
  'add-apt-repository': addAptRepository, openssl, htpasswd, git,
  vim: editor, vi: editor, nvim: editor, 'vim.tiny': editor, nano: editor, emacs: editor, mcedit: editor, editor, 'sensible-editor': editor, sudoedit: editor,
}
