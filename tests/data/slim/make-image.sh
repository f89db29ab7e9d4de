#!/bin/sh
# make-image.sh DIR: a merged-/usr root (the build host's loader, libc and libm) with a program
# linked against libm, and what slim is to drop: a shell a script needs, a package manager,
# a setuid file, a package database and its file lists, data no one names; packed by umoci, copied by skopeo.
# Tags: t (the program), script (a script that runs it), entry (an official image's pattern:
# an entrypoint script that sources entry.d/*.sh, then runs its CMD with exec "$@"), py (a
# CMD of python3 and a script: an interpreter, here a copy of dash named so), daemon (a program
# naming its configuration directory, whose file names a document root, and a pid file under
# /run, root's).
set -e
d=$1; r=$d/root
mkdir -p $r/usr/bin $r/usr/lib/x86_64-linux-gnu $r/usr/lib64 $r/etc/ld.so.conf.d $r/app $r/tmp $r/var/lib/dpkg
ln -s usr/bin $r/bin; ln -s usr/lib $r/lib; ln -s usr/lib64 $r/lib64
for l in libc.so.6 libm.so.6 ld-linux-x86-64.so.2 libz.so.1; do
	cp "$(readlink -f /lib/x86_64-linux-gnu/$l)" $r/usr/lib/x86_64-linux-gnu/$l
done
ln -s ../lib/x86_64-linux-gnu/ld-linux-x86-64.so.2 $r/usr/lib64/ld-linux-x86-64.so.2
cc -O2 -o $r/usr/bin/hello "$(dirname "$0")/hello.c" -lm
cp "$(readlink -f /bin/dash)" $r/usr/bin/dash; ln -s dash $r/usr/bin/sh
printf '#!/bin/sh\necho apt\n' > $r/usr/bin/apt; chmod 755 $r/usr/bin/apt
cp "$(readlink -f /bin/true)" $r/usr/bin/su; chmod 4755 $r/usr/bin/su
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n' > $r/etc/passwd
printf 'root:x:0:\nnogroup:x:65534:\n' > $r/etc/group
printf 'ID=debian\nVERSION_ID="12"\n' > $r/etc/os-release
printf '/usr/lib/x86_64-linux-gnu\n' > $r/etc/ld.so.conf.d/x86_64-linux-gnu.conf
printf 'include /etc/ld.so.conf.d/*.conf\n' > $r/etc/ld.so.conf
printf 'port: 8080\n' > $r/app/config.yaml
head -c 100000 /dev/urandom > $r/app/unused.bin
printf 'Package: x\nStatus: install ok installed\nVersion: 1\n\n' > $r/var/lib/dpkg/status
# dpkg's file lists, for the report: a package all dropped (apt), one whose files are named
# through the /bin link (dash), one partly kept (tools) and one kept whole (libc6)
mkdir -p $r/var/lib/dpkg/info
printf '/.\n/usr\n/usr/bin\n/usr/bin/apt\n' > $r/var/lib/dpkg/info/apt.list
printf '/.\n/bin\n/bin/dash\n/bin/sh\n' > $r/var/lib/dpkg/info/dash.list
printf '/.\n/usr/bin/hello\n/app/unused.bin\n' > $r/var/lib/dpkg/info/tools.list
printf '/usr/lib/x86_64-linux-gnu/libc.so.6\n/lib64/ld-linux-x86-64.so.2\n' > $r/var/lib/dpkg/info/libc6:amd64.list
printf '#!/bin/sh\nset -e\nif [ -n "$DEBUG" ]; then echo debug; fi\nexec hello "$@"\n' > $r/app/start.sh; chmod 755 $r/app/start.sh
mkdir -p $r/app/entry.d
printf '#!/bin/sh\nset -e\nif [ -d /app/entry.d ]; then\n\tfor f in /app/entry.d/*.sh; do . "$f"; done\nfi\nexec "$@"\n' > $r/app/entry.sh
printf 'echo "entry.d ran"\n' > $r/app/entry.d/10-say.sh
chmod 755 $r/app/entry.sh
cp "$(readlink -f /bin/dash)" $r/usr/bin/python3; printf 'print("hi")\n' > $r/app/app.py
cc -O2 -o $r/usr/bin/daemon "$(dirname "$0")/daemon.c"
mkdir -p $r/etc/daemon $r/srv/www $r/run
printf '# the pages\nroot /srv/www;   # served\n# old: root /srv/old;\n' > $r/etc/daemon/daemon.conf
echo page > $r/srv/www/index.html
mkdir -p $r/srv/old; echo old > $r/srv/old/index.html
chmod 1777 $r/tmp
umoci --log error init --layout $d/oci
umoci --log error new --image $d/oci:t
rootless=; [ "$(id -u)" = 0 ] || rootless=--rootless
umoci --log error unpack $rootless --image $d/oci:t $d/b
cp -a $r/. $d/b/rootfs/
umoci --log error repack --image $d/oci:t $d/b
umoci --log error config --image $d/oci:t --config.entrypoint /usr/bin/hello --config.cmd /app/config.yaml \
	--config.env PATH=/usr/local/bin:/usr/bin:/bin --config.workingdir /app
umoci --log error config --image $d/oci:t --tag script --config.entrypoint /app/start.sh --config.cmd x
umoci --log error config --image $d/oci:t --tag entry --config.entrypoint /app/entry.sh --config.cmd hello \
	--config.cmd /app/config.yaml
umoci --log error config --image $d/oci:t --tag py --clear config.entrypoint --config.cmd python3 \
	--config.cmd /app/app.py
umoci --log error config --image $d/oci:t --tag daemon --config.entrypoint /usr/bin/daemon --clear config.cmd
rm -rf $d/b
skopeo copy -q oci:$d/oci:t docker-archive:$d/t.tar:test/hello:t
skopeo copy -q oci:$d/oci:script docker-archive:$d/script.tar:test/hello:script
skopeo copy -q oci:$d/oci:entry docker-archive:$d/entry.tar:test/hello:entry
skopeo copy -q oci:$d/oci:py docker-archive:$d/py.tar:test/hello:py
skopeo copy -q oci:$d/oci:daemon docker-archive:$d/daemon.tar:test/hello:daemon
