# the same with /etc/debian_version: the OS is known
new_layer 'ADD rootfs /'
mkdir -p "$L/var/lib/dpkg" "$L/etc"; echo 12.5 > "$L/etc/debian_version"
printf 'Package: demo\nStatus: install ok installed\nVersion: 1.0-2\nArchitecture: amd64\n' > "$L/var/lib/dpkg/status"
