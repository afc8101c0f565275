import {readFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'
import {describe, expect, it} from 'vitest'
import {parseOsRelease} from '../../src/resolve/platform.js'

const FIXTURES = fileURLToPath(new URL('../fixtures/os-release/', import.meta.url))
const read = (name: string) => readFileSync(`${FIXTURES}${name}/os-release`, 'utf8')

type Key = 'ID' | 'ID_LIKE' | 'VERSION_ID' | 'VERSION_CODENAME' | 'PRETTY_NAME'
const KEYS: Key[] = ['ID', 'ID_LIKE', 'VERSION_ID', 'VERSION_CODENAME', 'PRETTY_NAME']

/** The fields that matter, as the files say them (undefined: the file has no such line). */
const EXPECTED: Record<string, Partial<Record<Key, string>>> = {
  'debian-8': {ID: 'debian', VERSION_ID: '8', PRETTY_NAME: 'Debian GNU/Linux 8 (jessie)'},
  'debian-10': {ID: 'debian', VERSION_ID: '10', VERSION_CODENAME: 'buster', PRETTY_NAME: 'Debian GNU/Linux 10 (buster)'},
  'debian-11': {ID: 'debian', VERSION_ID: '11', VERSION_CODENAME: 'bullseye', PRETTY_NAME: 'Debian GNU/Linux 11 (bullseye)'},
  'debian-12': {ID: 'debian', VERSION_ID: '12', VERSION_CODENAME: 'bookworm', PRETTY_NAME: 'Debian GNU/Linux 12 (bookworm)'},
  'debian-testing': {ID: 'debian', VERSION_CODENAME: 'bookworm', PRETTY_NAME: 'Debian GNU/Linux bookworm/sid'},
  'ubuntu-14.04': {ID: 'ubuntu', ID_LIKE: 'debian', VERSION_ID: '14.04', PRETTY_NAME: 'Ubuntu 14.04.6 LTS'},
  'ubuntu-18.04': {ID: 'ubuntu', ID_LIKE: 'debian', VERSION_ID: '18.04', VERSION_CODENAME: 'bionic', PRETTY_NAME: 'Ubuntu 18.04.6 LTS'},
  'ubuntu-20.04': {ID: 'ubuntu', ID_LIKE: 'debian', VERSION_ID: '20.04', VERSION_CODENAME: 'focal', PRETTY_NAME: 'Ubuntu 20.04.6 LTS'},
  'ubuntu-22.04': {ID: 'ubuntu', ID_LIKE: 'debian', VERSION_ID: '22.04', VERSION_CODENAME: 'jammy', PRETTY_NAME: 'Ubuntu 22.04.5 LTS'},
  'ubuntu-24.04': {ID: 'ubuntu', ID_LIKE: 'debian', VERSION_ID: '24.04', VERSION_CODENAME: 'noble', PRETTY_NAME: 'Ubuntu 24.04.3 LTS'},
  'ubuntu-25.10': {ID: 'ubuntu', ID_LIKE: 'debian', VERSION_ID: '25.10', VERSION_CODENAME: 'questing', PRETTY_NAME: 'Ubuntu 25.10'},
  'kubuntu-22.04': {ID: 'ubuntu', ID_LIKE: 'debian', VERSION_ID: '22.04', VERSION_CODENAME: 'jammy', PRETTY_NAME: 'Ubuntu 22.04.4 LTS'},
  'linuxmint-21': {ID: 'linuxmint', ID_LIKE: 'ubuntu debian', VERSION_ID: '21.3', VERSION_CODENAME: 'virginia', PRETTY_NAME: 'Linux Mint 21.3'},
  'linuxmint-22': {ID: 'linuxmint', ID_LIKE: 'ubuntu debian', VERSION_ID: '22', VERSION_CODENAME: 'wilma', PRETTY_NAME: 'Linux Mint 22'},
  'elementary-6': {ID: 'elementary', ID_LIKE: 'ubuntu', VERSION_ID: '6', VERSION_CODENAME: 'odin', PRETTY_NAME: 'elementary OS 6 Odin'},
  'raspbian-11': {ID: 'raspbian', ID_LIKE: 'debian', VERSION_ID: '11', VERSION_CODENAME: 'bullseye', PRETTY_NAME: 'Raspbian GNU/Linux 11 (bullseye)'},
  'centos-7': {ID: 'centos', ID_LIKE: 'rhel fedora', VERSION_ID: '7', PRETTY_NAME: 'CentOS Linux 7 (Core)'},
  'centos-stream-8': {ID: 'centos', ID_LIKE: 'rhel fedora', VERSION_ID: '8', PRETTY_NAME: 'CentOS Stream 8'},
  'rhel-8': {ID: 'rhel', ID_LIKE: 'fedora', VERSION_ID: '8.10', PRETTY_NAME: 'Red Hat Enterprise Linux 8.10 (Ootpa)'},
  'rhel-9': {ID: 'rhel', ID_LIKE: 'fedora', VERSION_ID: '9.6', PRETTY_NAME: 'Red Hat Enterprise Linux 9.6 (Plow)'},
  'rocky-8': {ID: 'rocky', ID_LIKE: 'rhel centos fedora', VERSION_ID: '8.9', PRETTY_NAME: 'Rocky Linux 8.9 (Green Obsidian)'},
  'almalinux-8': {ID: 'almalinux', ID_LIKE: 'rhel centos fedora', VERSION_ID: '8.10', PRETTY_NAME: 'AlmaLinux 8.10 (Cerulean Leopard)'},
  'ol-7.5': {ID: 'ol', VERSION_ID: '7.5', PRETTY_NAME: 'Oracle Linux Server 7.5'},
  'handmade-ol-8': {ID: 'ol', ID_LIKE: 'fedora', VERSION_ID: '8.10', PRETTY_NAME: 'Oracle Linux Server 8.10'},
  'handmade-amzn-2': {ID: 'amzn', ID_LIKE: 'centos rhel fedora', VERSION_ID: '2', PRETTY_NAME: 'Amazon Linux 2'},
  'amzn-2016.03': {ID: 'amzn', ID_LIKE: 'rhel fedora', VERSION_ID: '2016.03', PRETTY_NAME: 'Amazon Linux AMI 2016.03'},
  'amzn-2018.03': {ID: 'amzn', ID_LIKE: 'rhel fedora', VERSION_ID: '2018.03', PRETTY_NAME: 'Amazon Linux AMI 2018.03'},
  'amzn-2023': {ID: 'amzn', ID_LIKE: 'fedora', VERSION_ID: '2023', PRETTY_NAME: 'Amazon Linux 2023.8.20250915'},
  'fedora-39': {ID: 'fedora', VERSION_ID: '39', VERSION_CODENAME: '', PRETTY_NAME: 'Fedora Linux 39 (Workstation Edition)'},
  'alpine-3.18': {ID: 'alpine', VERSION_ID: '3.18.12', PRETTY_NAME: 'Alpine Linux v3.18'},
  arch: {ID: 'arch', PRETTY_NAME: 'Arch Linux'},
  'arch-template-version-id': {ID: 'arch', VERSION_ID: 'TEMPLATE_VERSION_ID', PRETTY_NAME: 'Arch Linux'},
}

describe('parseOsRelease on real files', () => {
  for (const [name, expected] of Object.entries(EXPECTED)) {
    it(name, () => {
      const fields = parseOsRelease(read(name))
      expect(Object.fromEntries(KEYS.map((k) => [k, fields[k]]))).toEqual(
        Object.fromEntries(KEYS.map((k) => [k, expected[k]])),
      )
    })
  }

  it('reads every line of a file with blank lines and unquoted numbers (Oracle Linux 7.5)', () => {
    expect(parseOsRelease(read('ol-7.5'))).toEqual({
      NAME: 'Oracle Linux Server',
      VERSION: '7.5',
      ID: 'ol',
      VERSION_ID: '7.5',
      PRETTY_NAME: 'Oracle Linux Server 7.5',
      ANSI_COLOR: '0;31',
      CPE_NAME: 'cpe:/o:oracle:linux:7:5:server',
      HOME_URL: 'https://linux.oracle.com/',
      BUG_REPORT_URL: 'https://bugzilla.oracle.com/',
      ORACLE_BUGZILLA_PRODUCT: 'Oracle Linux 7',
      ORACLE_BUGZILLA_PRODUCT_VERSION: '7.5',
      ORACLE_SUPPORT_PRODUCT: 'Oracle Linux',
      ORACLE_SUPPORT_PRODUCT_VERSION: '7.5',
    })
  })

  it('keeps the last line of a file without a final newline (Linux Mint 21)', () => {
    expect(read('linuxmint-21').endsWith('\n')).toBe(false)
    expect(parseOsRelease(read('linuxmint-21')).UBUNTU_CODENAME).toBe('jammy')
  })
})

describe('parseOsRelease per the freedesktop spec', () => {
  it('unquotes double and single quotes and bare values', () => {
    expect(parseOsRelease('A="x y"\nB=\'p q\'\nC=plain\n')).toEqual({A: 'x y', B: 'p q', C: 'plain'})
  })

  it('undoes the four escapes allowed inside double quotes and keeps other backslashes', () => {
    const text = String.raw`NAME="say \"hi\" \\ \$HOME \`id\` \n"`
    expect(parseOsRelease(text)).toEqual({NAME: 'say "hi" \\ $HOME `id` \\n'})
  })

  it('takes single-quoted text literally', () => {
    expect(parseOsRelease(String.raw`X='a\"b $c'`)).toEqual({X: String.raw`a\"b $c`})
  })

  it('ignores comments, blank lines and malformed lines', () => {
    const text = [
      '# a comment',
      '',
      '   ',
      'ID=debian',
      'not an assignment',
      '=novalue',
      '1BAD=x',
      'OPEN="never closed',
      'TWO=words here',
      'VERSION_ID="12" # trailing comment',
      'EMPTY=',
      '  INDENTED="yes"  ',
    ].join('\n')
    expect(parseOsRelease(text)).toEqual({ID: 'debian', VERSION_ID: '12', EMPTY: '', INDENTED: 'yes'})
  })

  it('reads CRLF files', () => {
    expect(parseOsRelease('ID=rocky\r\nVERSION_ID="8.9"\r\n')).toEqual({ID: 'rocky', VERSION_ID: '8.9'})
  })

  it('lets a later line win, as a shell would', () => {
    expect(parseOsRelease('ID=a\nID=b')).toEqual({ID: 'b'})
  })
})
