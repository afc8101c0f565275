/**
 * Programs whose effect we know without reading their arguments: the ones that
 * change nothing here, and the ones that change something we cannot put back.
 */

export const READ_ONLY = new Set([
  'echo', 'printf', 'cat', 'tac', 'less', 'more', 'head', 'tail', 'grep', 'egrep', 'fgrep', 'zgrep', 'rg', 'sort', 'uniq', 'wc',
  'cut', 'tr', 'awk', 'gawk', 'mawk', 'jq', 'yq', 'column', 'fold', 'nl', 'rev', 'paste', 'join', 'comm', 'diff', 'cmp', 'ls', 'll',
  'stat', 'file', 'which', 'whereis', 'type', 'id', 'whoami', 'groups', 'uname', 'arch', 'printenv', 'pwd', 'sleep', 'test', '[',
  'true', 'false', ':', 'md5sum', 'sha1sum', 'sha256sum', 'sha512sum', 'base64', 'xxd', 'od', 'hexdump', 'dig', 'nslookup',
  'host', 'ping', 'ping6', 'traceroute', 'nc', 'netcat', 'ncat', 'telnet', 'ss', 'netstat', 'lsof', 'ps', 'pgrep', 'pidof', 'top',
  'htop', 'free', 'df', 'du', 'lsblk', 'lscpu', 'lsb_release', 'nproc', 'getent', 'journalctl', 'dmesg', 'apt-cache', 'apt-file',
  'apt-config', 'dpkg-query', 'dpkg-architecture', 'uptime', 'w', 'who', 'last', 'date', 'cal', 'env', 'set', 'export', 'unset',
  'read', 'local', 'declare', 'typeset', 'readonly', 'alias', 'unalias', 'exit', 'return', 'shift', 'trap', 'wait', 'umask',
  'ulimit', 'hash', 'history', 'source', '.', 'seq', 'yes', 'basename', 'dirname', 'realpath', 'readlink', 'find', 'locate',
  'tree', 'getconf', 'locale', 'man', 'info', 'help', 'openssl-version', 'getenforce', 'sestatus', 'ip', 'ifconfig', 'route',
  'hostname', 'hostnamectl', 'timedatectl', 'localectl', 'loginctl', 'resolvectl', 'nmcli', 'curlie', 'http', 'clear', 'tput',
  'mysql', 'psql', 'mongo', 'mongosh', 'redis-cli', 'sqlite3', 'pbm', 'xmllint', 'python-version', 'tty', 'logger', 'mktemp',
  'getopt', 'bc', 'expr', 'let', 'crontab', 'break', 'continue',
])

/**
 * Read-only only in some forms: the predicate says whether this argv changes
 * something (then it is irreversible, with the reason given).
 */
export const SOMETIMES: Record<string, {changes(args: string[]): boolean; reason: string}> = {
  hostname: {changes: (a) => a.some((x) => !x.startsWith('-')), reason: 'sets the host name'},
  hostnamectl: {changes: (a) => a.some((x) => x.startsWith('set-')), reason: 'sets the host name'},
  timedatectl: {changes: (a) => a.some((x) => x.startsWith('set-')), reason: 'sets the clock or time zone'},
  date: {changes: (a) => a.some((x) => x === '-s' || x.startsWith('--set')), reason: 'sets the clock'},
  ip: {changes: (a) => a.some((x) => ['add', 'del', 'delete', 'set', 'flush', 'change', 'replace', 'append'].includes(x)), reason: 'changes the network configuration'},
  find: {changes: (a) => a.some((x) => ['-delete', '-exec', '-execdir', '-ok', '-fprint'].includes(x)), reason: 'deletes or runs commands on the files it finds'},
  journalctl: {changes: (a) => a.some((x) => x.startsWith('--vacuum') || x === '--rotate' || x === '--flush'), reason: 'deletes or rotates journal files'},
  mysql: {changes: (a) => a.some((x) => x === '-e' || x.startsWith('--execute')), reason: 'runs SQL statements'},
  psql: {changes: (a) => a.some((x) => x === '-c' || x === '-f' || x.startsWith('--command')), reason: 'runs SQL statements'},
  crontab: {changes: (a) => !a.includes('-l'), reason: 'changes a crontab'},
}

/** Changes we cannot put back, by program. */
export const IRREVERSIBLE: Record<string, string> = {
  'register-node': 'registers this node with the Wallarm Cloud',
  useradd: 'creates a user account', adduser: 'creates a user account', usermod: 'changes a user account',
  userdel: 'deletes a user account', deluser: 'deletes a user account', groupadd: 'creates a group', groupdel: 'deletes a group',
  addgroup: 'creates a group', gpasswd: 'changes group members', passwd: 'changes a password', chpasswd: 'changes passwords',
  iptables: 'changes firewall rules', ip6tables: 'changes firewall rules', 'iptables-restore': 'changes firewall rules',
  nft: 'changes firewall rules', ufw: 'changes firewall rules', 'firewall-cmd': 'changes firewall rules',
  kill: 'sends a signal to processes', pkill: 'sends a signal to processes', killall: 'sends a signal to processes',
  reboot: 'restarts the machine', shutdown: 'stops the machine', poweroff: 'stops the machine', halt: 'stops the machine',
  setenforce: 'changes the SELinux mode', semanage: 'changes SELinux policy', setsebool: 'changes SELinux booleans',
  restorecon: 'relabels files for SELinux', chcon: 'relabels files for SELinux',
  mount: 'mounts a file system', umount: 'unmounts a file system', swapon: 'enables swap', swapoff: 'disables swap',
  modprobe: 'loads a kernel module', rmmod: 'unloads a kernel module', insmod: 'loads a kernel module',
  sysctl: 'changes kernel settings', 'update-alternatives': 'changes the default programs', 'update-rc.d': 'changes boot-time services',
  chkconfig: 'changes boot-time services', 'apt-mark': 'changes package marks', certbot: 'requests certificates',
  docker: 'changes containers or images', podman: 'changes containers or images', kubectl: 'changes a cluster', helm: 'changes a cluster',
  pip: 'installs Python packages', pip3: 'installs Python packages', npm: 'installs Node packages', gem: 'installs Ruby gems',
  snap: 'installs snaps', flatpak: 'installs flatpaks', make: 'builds and installs software', ldconfig: 'rebuilds the linker cache',
  a2enmod: 'enables an Apache module', a2dismod: 'disables an Apache module', a2ensite: 'enables an Apache site', a2dissite: 'disables an Apache site',
  visudo: 'edits the sudoers file', 'ssh-keygen': 'creates SSH keys', tarantool: 'runs a Tarantool script',
  python: 'runs a Python program', python3: 'runs a Python program', node: 'runs a Node program', php: 'runs a PHP program',
  nginx: 'signals or starts nginx', zypper: 'changes packages', apk: 'changes packages', pacman: 'changes packages',
}

/** `X --version`, `X -h`: nothing changes whatever X is. */
export function onlyAsksForInfo(args: string[]): boolean {
  return args.length > 0 && args.every((a) => ['--version', '-v', '-V', 'version', '--help', '-h', 'help', '-t', '-T'].includes(a))
}
