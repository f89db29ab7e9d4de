# packages, but no os-release or release file: nothing can be matched
new_layer 'ADD rootfs /'
mkdir -p "$L/var/lib/dpkg"
printf 'Package: demo\nStatus: install ok installed\nVersion: 1.0-1\nArchitecture: amd64\n' > "$L/var/lib/dpkg/status"
