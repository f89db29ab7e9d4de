# demo 1.1-1 on Debian 13, where the tracker has it fixed in 1.1-1
new_layer 'ADD rootfs /'
mkdir -p "$L/etc" "$L/var/lib/dpkg"
printf 'ID=debian\nVERSION_ID="13"\n' > "$L/etc/os-release"
printf 'Package: demo\nStatus: install ok installed\nVersion: 1.1-1\nArchitecture: amd64\n' > "$L/var/lib/dpkg/status"
