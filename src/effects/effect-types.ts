/**
 * What a script may change on this machine, as far as reading it can tell.
 * Effects hold paths, package names, unit names and program names only:
 * never a command line (those may carry tokens).
 */

export type FileOp =
  | 'write'
  | 'append'
  | 'edit'
  | 'create-dir'
  | 'touch'
  | 'delete'
  | 'metadata'
  | 'link'
  | 'download'
  | 'keyring'
  | 'extract'

export interface FileEffect {
  kind: 'file'
  op: FileOp
  /** Absolute, or relative to the step's working directory; as written when dynamic. */
  path: string
  /** The shell decides the path at run time (`$VAR`, globs, `$(…)`). */
  dynamic: boolean
  /** For a dynamic path: the static directory it lies in, when there is one. */
  dir?: string
  /** A whole tree (`rm -r`, `cp -r`, `tar -x -C DIR`). */
  recursive?: boolean
  /** When `path` turns out to be a directory, the entries written into it (`cp a.conf /etc/x/`). */
  into?: string[]
  /** The program that does it (`tee`, `cp`, `>` for a redirection). */
  via: string
}

export type PackageManager = 'apt' | 'dpkg' | 'yum' | 'dnf' | 'rpm'

export interface PackageEffect {
  kind: 'package'
  op: 'install' | 'remove' | 'refresh' | 'upgrade'
  manager: PackageManager
  /** Names, or file names of package files (URLs keep their last segment only). */
  packages: string[]
  via: string
}

export type ServiceManager = 'systemd' | 'sysv' | 'tarantoolctl'
export type ServiceOp = 'enable' | 'disable' | 'start' | 'stop' | 'restart' | 'reload' | 'mask' | 'unmask'

export interface ServiceEffect {
  kind: 'service'
  op: ServiceOp
  manager: ServiceManager
  units: string[]
  via: string
}

/** Changes nothing we can put back: an installer, a registration, a firewall rule. */
export interface IrreversibleEffect {
  kind: 'irreversible'
  via: string
  /** What it does, without its arguments: `runs the script wallarm-4.8.8.x86_64-glibc.sh`. */
  reason: string
}

/** A program we know nothing about: treated as irreversible. */
export interface UnknownEffect {
  kind: 'unknown'
  via: string
}

export type Effect = FileEffect | PackageEffect | ServiceEffect | IrreversibleEffect | UnknownEffect
