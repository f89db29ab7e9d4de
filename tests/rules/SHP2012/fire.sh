new_layer; mkdir -p "$L/root/.ssh"
printf 'placeholder, the real key is mounted\n' > "$L/root/.ssh/id_rsa"
