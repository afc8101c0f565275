/**
 * Connections to close before the process ends (the SSH masters and their
 * private socket folders). Kept apart from ssh.ts so that the CLI's entry can
 * close whatever a command opened without loading the SSH code itself.
 */
const closers = new Set<() => Promise<void>>()

export function onClose(close: () => Promise<void>): void {
  closers.add(close)
}

export async function closeAll(): Promise<void> {
  const all = [...closers]
  closers.clear()
  await Promise.all(all.map((close) => close().catch(() => {})))
}
