new_layer 'RUN apt-get update'; mkdir -p "$L/var/lib/apt/lists/partial"
printf 'Package: x\n' > "$L/var/lib/apt/lists/mirror.example.org_debian_dists_bookworm_main_binary-amd64_Packages"
