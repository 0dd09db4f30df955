#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Runs inside the clean Debian 12 tree that scripts/test-install makes, as root, with the .deb
# files and the scripts of tests/install/ in /tmp/install. Installs the packages with apt, uses
# what they installed, uninstalls them and checks that only configuration is left until purge.
set -eu
dir=/tmp/install
export DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8
start=$(date +%s)
step() { echo "test-install [$(($(date +%s) - start))s]: $*"; }
fail() { echo "test-install: FAILED: $*" >&2; exit 1; }
# Everything named after us outside the places that are not ours (dpkg's own records, logs,
# this test's files).
leftovers() {
    find / -xdev \( -path /proc -o -path /sys -o -path /dev -o -path /tmp -o -path /run \
        -o -path /var/lib/dpkg -o -path /var/log -o -path /var/cache/apt \) -prune \
        -o -name '*sluice*' -print | sort
}

[ -z "$(leftovers)" ] || fail "the clean tree already has sluice files: $(leftovers)"

step "apt-get install $(cd $dir && echo *.deb)"
apt-get install -y -q --no-install-recommends "$dir"/*.deb >"$dir/apt-install.log" 2>&1 ||
    { cat "$dir/apt-install.log"; fail "apt-get install"; }

step "sluice --version"
sluice --version | grep -q '^sluice [0-9]' || fail "sluice --version"
sluice version --json
man_page=/usr/share/man/man1/sluice.1.gz
[ -s "$man_page" ] || fail "no $man_page"
[ -x /usr/bin/sluice-studio ] || fail "no /usr/bin/sluice-studio"

step "the maintainer scripts made the sluice user and /etc/sluice"
getent passwd sluice | grep -q ':/var/lib/sluice:/usr/sbin/nologin$' || fail "no sluice user"
[ -d /etc/sluice ] || fail "no /etc/sluice"
[ "$(stat -c %U /var/lib/sluice)" = sluice ] || fail "/var/lib/sluice is not the sluice user's"

step "every installed sample validates"
for project in /usr/share/sluice/projects/*/; do
    name=$(basename "$project")
    # secure-websocket needs keys made by scripts/make-test-certs (never packaged).
    [ "$name" = secure-websocket ] && continue
    sluice validate "$project" >/dev/null || { sluice validate "$project"; fail "$name"; }
done

step "a message through the installed websocket-echo sample, run as the sluice user"
/usr/bin/python3 "$dir/echo_through_installed.py" /usr/share/sluice/projects/websocket-echo \
    --as-user sluice || fail "websocket-echo round trip"

step "bash completion: sluice va<TAB> -> validate"
completion=$(bash -c '. /usr/share/bash-completion/completions/sluice
    COMP_WORDS=(sluice va); COMP_CWORD=1; _sluice; echo "${COMPREPLY[*]}"')
[ "$completion" = validate ] || fail "completion gave '$completion'"

step "sluice-studio on the offscreen platform: screenshot"
QT_QPA_PLATFORM=offscreen XDG_RUNTIME_DIR=$(mktemp -d) HOME=$(mktemp -d) \
    sluice-studio --screenshot "$dir/studio.png" /usr/share/sluice/projects/websocket-echo \
    2>"$dir/studio.log" || { cat "$dir/studio.log"; fail "sluice-studio --screenshot"; }
[ "$(head -c 8 "$dir/studio.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] ||
    fail "the screenshot is not a PNG"

dpkg -L sluice sluice-studio | sort >"$dir/files"
step "apt-get remove: every packaged file goes, the configuration stays"
apt-get remove -y -q sluice sluice-studio >"$dir/apt-remove.log" 2>&1 ||
    { cat "$dir/apt-remove.log"; fail "apt-get remove"; }
while read -r path; do
    # Directories such as /usr/share/man/man1 belong to other packages too.
    [ -d "$path" ] && continue
    [ -e "$path" ] && fail "$path is still there after remove"
done <"$dir/files"
[ -d /etc/sluice ] || fail "remove took /etc/sluice (configuration)"
left=$(leftovers)
[ "$left" = "/etc/sluice
/var/lib/sluice" ] || fail "left after remove: $left"

step "dpkg --purge: nothing is left"
# dpkg, not apt: removed local packages are unknown to apt's lists.
dpkg --purge sluice sluice-studio >"$dir/dpkg-purge.log" 2>&1 ||
    { cat "$dir/dpkg-purge.log"; fail "dpkg --purge"; }
[ -z "$(leftovers)" ] || fail "left after purge: $(leftovers)"
getent passwd sluice >/dev/null && fail "the sluice user is still there after purge"
dpkg -l | grep -q ' sluice' && fail "dpkg still knows a sluice package"
step "passed"
