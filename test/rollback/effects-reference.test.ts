/**
 * Effect inference over every shell block of the reference page: command →
 * effects → undo, asserted exactly. The blocks are read with a small fence
 * scanner (test/rollback/helpers/fences.ts), not the engine's parser.
 */
import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {describeEffect, describeUndo, inferEffects} from '../../src/execute/rollback/index.js'
import {scanFences} from './helpers/fences.js'
import {hasShared, seedEn} from '../helpers/shared.js'

const PAGE = seedEn

/** Block text → [what it does, how rollback undoes it] for each effect, in order. */
const TABLE: Record<string, Array<[string, string]>> = {
  "curl -O https://meganode.wallarm.com/4.8/wallarm-4.8.8.x86_64-glibc.sh": [
    ["downloads to wallarm-4.8.8.x86_64-glibc.sh (curl)", "restore wallarm-4.8.8.x86_64-glibc.sh from the snapshot, or remove it if the step created it"],
  ],
  "curl -O https://meganode.wallarm.com/4.8/wallarm-4.8.8.aarch64-glibc.sh": [
    ["downloads to wallarm-4.8.8.aarch64-glibc.sh (curl)", "restore wallarm-4.8.8.aarch64-glibc.sh from the snapshot, or remove it if the step created it"],
  ],
  "# If using the x86_64 version:\nsudo env WALLARM_LABELS='group=<GROUP>' sh wallarm-4.8.8.x86_64-glibc.sh postanalytics\n\n# If using the ARM64 version:\nsudo env WALLARM_LABELS='group=<GROUP>' sh wallarm-4.8.8.aarch64-glibc.sh postanalytics": [
    ["runs the script wallarm-4.8.8.x86_64-glibc.sh (sh)", "undo by hand: runs the script wallarm-4.8.8.x86_64-glibc.sh"],
    ["runs the script wallarm-4.8.8.aarch64-glibc.sh (sh)", "undo by hand: runs the script wallarm-4.8.8.aarch64-glibc.sh"],
  ],
  "# If using the x86_64 version:\nsudo sh wallarm-4.8.8.x86_64-glibc.sh postanalytics\n\n# If using the ARM64 version:\nsudo sh wallarm-4.8.8.aarch64-glibc.sh postanalytics": [
    ["runs the script wallarm-4.8.8.x86_64-glibc.sh (sh)", "undo by hand: runs the script wallarm-4.8.8.x86_64-glibc.sh"],
    ["runs the script wallarm-4.8.8.aarch64-glibc.sh (sh)", "undo by hand: runs the script wallarm-4.8.8.aarch64-glibc.sh"],
  ],
  "sudo vim /opt/wallarm/env.list": [
    ["edits /opt/wallarm/env.list (vim)", "restore /opt/wallarm/env.list from the snapshot, or remove it if the step created it"],
  ],
  "# If using the x86_64 version:\nsudo env WALLARM_LABELS='group=<GROUP>' sh wallarm-4.8.8.x86_64-glibc.sh filtering\n\n# If using the ARM64 version:\nsudo env WALLARM_LABELS='group=<GROUP>' sh wallarm-4.8.8.aarch64-glibc.sh filtering": [
    ["runs the script wallarm-4.8.8.x86_64-glibc.sh (sh)", "undo by hand: runs the script wallarm-4.8.8.x86_64-glibc.sh"],
    ["runs the script wallarm-4.8.8.aarch64-glibc.sh (sh)", "undo by hand: runs the script wallarm-4.8.8.aarch64-glibc.sh"],
  ],
  "# If using the x86_64 version:\nsudo sh wallarm-4.8.8.x86_64-glibc.sh filtering\n\n# If using the ARM64 version:\nsudo sh wallarm-4.8.8.aarch64-glibc.sh filtering": [
    ["runs the script wallarm-4.8.8.x86_64-glibc.sh (sh)", "undo by hand: runs the script wallarm-4.8.8.x86_64-glibc.sh"],
    ["runs the script wallarm-4.8.8.aarch64-glibc.sh (sh)", "undo by hand: runs the script wallarm-4.8.8.aarch64-glibc.sh"],
  ],
  "sudo systemctl restart nginx": [
    ["restarts nginx (systemd)", "return nginx to the recorded enabled and running state"],
  ],
  "sudo service nginx restart": [
    ["restarts nginx (sysv)", "return nginx to the recorded enabled and running state"],
  ],
  "curl http://localhost/etc/passwd": [
  ],
  "sudo systemctl status wallarm-tarantool": [
  ],
  "sudo cat /opt/wallarm/var/log/wallarm/tarantool.log": [
  ],
  "sudo cat /var/log/nginx/error.log": [
  ],
  "curl http://127.0.0.8/wallarm-status": [
  ],
  "sudo apt -y install dirmngr\ncurl -fsSL https://repo.wallarm.com/wallarm.gpg | sudo apt-key add -\nsh -c \"echo 'deb https://repo.wallarm.com/debian/wallarm-node buster/4.8/' | sudo tee /etc/apt/sources.list.d/wallarm.list\"\nsudo apt update": [
    ["installs dirmngr (apt)", "remove the packages the step installed, with the dependencies it pulled in"],
    ["adds keys to /etc/apt/trusted.gpg (apt-key)", "restore /etc/apt/trusted.gpg from the snapshot, or remove it if the step created it"],
    ["writes /etc/apt/sources.list.d/wallarm.list (tee)", "restore /etc/apt/sources.list.d/wallarm.list from the snapshot, or remove it if the step created it"],
    ["refreshes the package lists (apt)", "nothing to undo"],
  ],
  "sudo apt -y install dirmngr\ncurl -fSsL https://repo.wallarm.com/wallarm.gpg | sudo gpg --no-default-keyring --keyring gnupg-ring:/etc/apt/trusted.gpg.d/wallarm.gpg --import\nsudo chmod 644 /etc/apt/trusted.gpg.d/wallarm.gpg\nsh -c \"echo 'deb https://repo.wallarm.com/debian/wallarm-node bullseye/4.8/' | sudo tee /etc/apt/sources.list.d/wallarm.list\"\nsudo apt update": [
    ["installs dirmngr (apt)", "remove the packages the step installed, with the dependencies it pulled in"],
    ["adds keys to /etc/apt/trusted.gpg.d/wallarm.gpg (gpg)", "restore /etc/apt/trusted.gpg.d/wallarm.gpg from the snapshot, or remove it if the step created it"],
    ["changes the mode or owner of /etc/apt/trusted.gpg.d/wallarm.gpg (chmod)", "restore the mode and owner of /etc/apt/trusted.gpg.d/wallarm.gpg"],
    ["writes /etc/apt/sources.list.d/wallarm.list (tee)", "restore /etc/apt/sources.list.d/wallarm.list from the snapshot, or remove it if the step created it"],
    ["refreshes the package lists (apt)", "nothing to undo"],
  ],
  "curl -fsSL https://repo.wallarm.com/wallarm.gpg | sudo apt-key add -\nsh -c \"echo 'deb https://repo.wallarm.com/ubuntu/wallarm-node bionic/4.8/' | sudo tee /etc/apt/sources.list.d/wallarm.list\"\nsudo apt update": [
    ["adds keys to /etc/apt/trusted.gpg (apt-key)", "restore /etc/apt/trusted.gpg from the snapshot, or remove it if the step created it"],
    ["writes /etc/apt/sources.list.d/wallarm.list (tee)", "restore /etc/apt/sources.list.d/wallarm.list from the snapshot, or remove it if the step created it"],
    ["refreshes the package lists (apt)", "nothing to undo"],
  ],
  "curl -fsSL https://repo.wallarm.com/wallarm.gpg | sudo apt-key add -\nsh -c \"echo 'deb https://repo.wallarm.com/ubuntu/wallarm-node focal/4.8/' | sudo tee /etc/apt/sources.list.d/wallarm.list\"\nsudo apt update": [
    ["adds keys to /etc/apt/trusted.gpg (apt-key)", "restore /etc/apt/trusted.gpg from the snapshot, or remove it if the step created it"],
    ["writes /etc/apt/sources.list.d/wallarm.list (tee)", "restore /etc/apt/sources.list.d/wallarm.list from the snapshot, or remove it if the step created it"],
    ["refreshes the package lists (apt)", "nothing to undo"],
  ],
  "curl -fsSL https://repo.wallarm.com/wallarm.gpg | sudo apt-key add -\nsh -c \"echo 'deb https://repo.wallarm.com/ubuntu/wallarm-node jammy/4.8/' | sudo tee /etc/apt/sources.list.d/wallarm.list\"\nsudo apt update": [
    ["adds keys to /etc/apt/trusted.gpg (apt-key)", "restore /etc/apt/trusted.gpg from the snapshot, or remove it if the step created it"],
    ["writes /etc/apt/sources.list.d/wallarm.list (tee)", "restore /etc/apt/sources.list.d/wallarm.list from the snapshot, or remove it if the step created it"],
    ["refreshes the package lists (apt)", "nothing to undo"],
  ],
  "sudo yum install -y epel-release\nsudo rpm -i https://repo.wallarm.com/centos/wallarm-node/7/4.8/x86_64/wallarm-node-repo-4.8-0.el7.noarch.rpm": [
    ["installs epel-release (yum)", "remove the packages the step installed, with the dependencies it pulled in"],
    ["installs wallarm-node-repo-4.8-0.el7.noarch.rpm (rpm)", "remove the packages the step installed, with the dependencies it pulled in"],
  ],
  "sudo yum install -y https://dl.fedoraproject.org/pub/epel/epel-release-latest-7.noarch.rpm\nsudo rpm -i https://repo.wallarm.com/centos/wallarm-node/7/4.8/x86_64/wallarm-node-repo-4.8-0.el7.noarch.rpm": [
    ["installs epel-release-latest-7.noarch.rpm (yum)", "remove the packages the step installed, with the dependencies it pulled in"],
    ["installs wallarm-node-repo-4.8-0.el7.noarch.rpm (rpm)", "remove the packages the step installed, with the dependencies it pulled in"],
  ],
  "sudo yum install -y epel-release\nsudo rpm -i https://repo.wallarm.com/centos/wallarm-node/8/4.8/x86_64/wallarm-node-repo-4.8-0.el8.noarch.rpm": [
    ["installs epel-release (yum)", "remove the packages the step installed, with the dependencies it pulled in"],
    ["installs wallarm-node-repo-4.8-0.el8.noarch.rpm (rpm)", "remove the packages the step installed, with the dependencies it pulled in"],
  ],
  "sudo dnf install -y https://dl.fedoraproject.org/pub/epel/epel-release-latest-8.noarch.rpm\nsudo rpm -i https://repo.wallarm.com/centos/wallarm-node/8/4.8/x86_64/wallarm-node-repo-4.8-0.el8.noarch.rpm": [
    ["installs epel-release-latest-8.noarch.rpm (dnf)", "remove the packages the step installed, with the dependencies it pulled in"],
    ["installs wallarm-node-repo-4.8-0.el8.noarch.rpm (rpm)", "remove the packages the step installed, with the dependencies it pulled in"],
  ],
  "sudo apt -y install --no-install-recommends wallarm-node-tarantool": [
    ["installs wallarm-node-tarantool (apt)", "remove the packages the step installed, with the dependencies it pulled in"],
  ],
  "sudo yum install -y wallarm-node-tarantool": [
    ["installs wallarm-node-tarantool (yum)", "remove the packages the step installed, with the dependencies it pulled in"],
  ],
  "sudo /usr/share/wallarm-common/register-node -t <TOKEN> --labels 'group=<GROUP>' -H us1.api.wallarm.com --no-sync --no-sync-acl": [
    ["registers this node with the Wallarm Cloud (register-node)", "undo by hand: registers this node with the Wallarm Cloud"],
  ],
  "sudo /usr/share/wallarm-common/register-node -t <TOKEN> -H us1.api.wallarm.com --no-sync --no-sync-acl": [
    ["registers this node with the Wallarm Cloud (register-node)", "undo by hand: registers this node with the Wallarm Cloud"],
  ],
  "sudo vim /etc/default/wallarm-tarantool": [
    ["edits /etc/default/wallarm-tarantool (vim)", "restore /etc/default/wallarm-tarantool from the snapshot, or remove it if the step created it"],
  ],
  "sudo vim /etc/sysconfig/wallarm-tarantool": [
    ["edits /etc/sysconfig/wallarm-tarantool (vim)", "restore /etc/sysconfig/wallarm-tarantool from the snapshot, or remove it if the step created it"],
  ],
  "# address and port for bind\nHOST='0.0.0.0'\nPORT=3313": [
  ],
  "hostname: <name of postanalytics node>\nuuid: <UUID of postanalytics node>\nsecret: <secret key of postanalytics node>\ntarantool:\n    host: '<IP address of Tarantool>'\n    port: 3313": [
    ["runs hostname:: effect unknown", "undo by hand: hostname: may have changed anything"],
    ["runs uuid:: effect unknown", "undo by hand: uuid: may have changed anything"],
    ["runs secret:: effect unknown", "undo by hand: secret: may have changed anything"],
    ["runs tarantool:: effect unknown", "undo by hand: tarantool: may have changed anything"],
    ["runs host:: effect unknown", "undo by hand: host: may have changed anything"],
    ["runs port:: effect unknown", "undo by hand: port: may have changed anything"],
  ],
  "sudo systemctl restart wallarm-tarantool": [
    ["restarts wallarm-tarantool (systemd)", "return wallarm-tarantool to the recorded enabled and running state"],
  ],
  "sudo cat /var/log/wallarm/tarantool.log": [
  ],
}

describe.skipIf(!hasShared)('effects of the reference page', () => {
  // Read only when the seed is there: a describe's body runs (to collect its tests) even when it is skipped.
  const fences = hasShared ? scanFences(readFileSync(PAGE, 'utf8')) : []

  it('finds every shell block of the page', () => {
    expect(fences.length).toBe(60)
    expect(new Set(fences.map((f) => f.text)).size).toBe(Object.keys(TABLE).length)
  })

  for (const fence of fences.filter((f, i) => fences.findIndex((g) => g.text === f.text) === i)) {
    it(`line ${fence.line}: ${fence.text.split('\n').find((l) => l && !l.startsWith('#'))}`, async () => {
      const effects = await inferEffects(fence.text)
      expect(effects.map((e) => [describeEffect(e), describeUndo(e)])).toEqual(TABLE[fence.text])
    })
  }
})
