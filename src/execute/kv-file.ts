/**
 * KEY=VALUE files (`/etc/default/*`, `/etc/sysconfig/*`, `*.env`, `env.list`):
 * when a guide shows lines to put in one, they are applied setting by setting
 * (replace the line, or its commented-out form, else append) after a backup.
 */
import {chownSync, copyFileSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import {basename, join} from 'node:path'
import {writeFileAtomic} from './atomic.js'

export interface Setting {
  key: string
  /** The line as it should appear. */
  line: string
}

export function isKeyValueTarget(file: string): boolean {
  return /^\/etc\/(default|sysconfig)\/[^/]+$/.test(file) || file.endsWith('.env') || basename(file) === 'env.list'
}

const SETTING = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=/

/** The settings in `content`, or undefined when any non-comment line is not KEY=VALUE. */
export function parseSettings(content: string): Setting[] | undefined {
  const settings: Setting[] = []
  for (const raw of content.split('\n')) {
    const line = raw.replace(/\r$/, '')
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue
    const m = SETTING.exec(line.trim())
    if (!m) return undefined
    settings.push({key: m[1]!, line: line.trim()})
  }
  return settings.length > 0 ? settings : undefined
}

/** `existing` with each setting replacing its line (active first, else commented), else appended. */
export function applySettings(existing: string, settings: Setting[]): string {
  const lines = existing === '' ? [] : existing.replace(/\n$/, '').split('\n')
  for (const s of settings) {
    const active = new RegExp(`^\\s*(?:export\\s+)?${s.key}=`)
    const commented = new RegExp(`^\\s*#\\s*(?:export\\s+)?${s.key}=`)
    let at = lines.findIndex((l) => active.test(l))
    if (at === -1) at = lines.findIndex((l) => commented.test(l))
    if (at === -1) lines.push(s.line)
    else lines[at] = s.line
  }
  return lines.join('\n') + '\n'
}

export interface Applied {
  target: string
  existed: boolean
  /** Where the original was copied, when there was one. */
  backup?: string
}

/**
 * Applies `settings` to `target`, copying the original into `journalDir` first
 * (and noting in `file-content.json` whether it existed) so rollback can restore it.
 */
export function applySettingsToFile(target: string, settings: Setting[], journalDir: string): Applied {
  mkdirSync(join(journalDir, 'backup'), {recursive: true, mode: 0o700})
  const existed = existsSync(target)
  const applied: Applied = {target, existed}
  let mode = 0o644
  let owner: {uid: number; gid: number} | undefined
  let before = ''
  if (existed) {
    const st = statSync(target)
    mode = st.mode & 0o7777
    owner = {uid: st.uid, gid: st.gid}
    before = readFileSync(target, 'utf8')
    applied.backup = join(journalDir, 'backup', target.replace(/\//g, '%2F'))
    copyFileSync(target, applied.backup)
  }
  writeFileSync(join(journalDir, 'file-content.json'), JSON.stringify(applied, null, 2) + '\n', {mode: 0o600})
  writeFileAtomic(target, applySettings(before, settings), mode)
  if (owner && process.getuid?.() === 0) chownSync(target, owner.uid, owner.gid)
  return applied
}
