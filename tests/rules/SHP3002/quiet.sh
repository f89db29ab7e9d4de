# demo 1.0-1 on Debian 12; older than the first affected version
new_layer 'ADD rootfs /'
mkdir -p "$L/etc" "$L/var/lib/dpkg"
printf 'ID=debian\nVERSION_ID="12"\n' > "$L/etc/os-release"
printf 'Package: demo\nStatus: install ok installed\nVersion: 0.9-1\nArchitecture: amd64\n' > "$L/var/lib/dpkg/status"
