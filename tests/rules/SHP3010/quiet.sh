# Debian 12: covered by the tracker's whole feed (and already fixed); a single OSV record
# would be partial data, which SHP3010 reports too
new_layer 'ADD rootfs /'
mkdir -p "$L/etc" "$L/var/lib/dpkg"
printf 'ID=debian\nVERSION_ID="12"\n' > "$L/etc/os-release"
printf 'Package: demo\nStatus: install ok installed\nVersion: 1.0-2\nArchitecture: amd64\n' > "$L/var/lib/dpkg/status"
