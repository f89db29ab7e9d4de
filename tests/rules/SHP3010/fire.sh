# Debian 11: the feed (the Debian tracker's, a whole feed) only knows Debian 12
new_layer 'ADD rootfs /'
mkdir -p "$L/etc" "$L/var/lib/dpkg"
printf 'ID=debian\nVERSION_ID="11"\n' > "$L/etc/os-release"
printf 'Package: demo\nStatus: install ok installed\nVersion: 1.0-1\nArchitecture: amd64\n' > "$L/var/lib/dpkg/status"
