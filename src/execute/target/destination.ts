/**
 * Where a role's steps run: this process, or a machine reached with the
 * system's OpenSSH client. Plain data: the plan, the run state and rollback's
 * journal carry it, so a resume or a rollback reaches the same machine. It
 * never holds a secret (keys and passwords stay with ssh and its agent).
 */
export interface Destination {
  /** The page's role for this machine (`local`, `nginx`). */
  role: string
  host: string
  user?: string
  port?: number
  /** Run as root through `sudo -n` on that machine. */
  become?: boolean
  /** The run folders' root on that machine (default `~/.local/state/runbook`). */
  dir?: string
  /** A private key file (`ssh -i`), when not the agent's or ~/.ssh/config's. */
  identity?: string
  /** An ssh_config file used instead of ~/.ssh/config (`ssh -F`); `RUNBOOK_SSH_CONFIG` sets it for every host. */
  sshConfig?: string
}

/** `root@10.0.0.7:2222` → user, host, port; `[::1]:22` for IPv6. Undefined when it does not read as one. */
export function parseDestination(role: string, text: string): Destination | undefined {
  const match = /^(?:([A-Za-z0-9._][A-Za-z0-9._-]*)@)?(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?$/.exec(text.trim())
  if (!match) return undefined
  const host = match[2]!.replace(/^\[|\]$/g, '')
  const port = match[3] === undefined ? undefined : Number(match[3])
  if (port !== undefined && (port < 1 || port > 65535)) return undefined
  if (host.startsWith('-')) return undefined
  return {role, host, ...(match[1] ? {user: match[1]} : {}), ...(port ? {port} : {})}
}

/** `root@127.0.0.2:2222`, for messages and the step column. */
export function describeDestination(d: Destination): string {
  const host = d.host.includes(':') ? `[${d.host}]` : d.host
  return `${d.user ? `${d.user}@` : ''}${host}${d.port ? `:${d.port}` : ''}${d.become ? ' (sudo)' : ''}`
}
