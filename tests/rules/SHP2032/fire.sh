new_layer; mkdir -p "$L/usr/sbin"; printf 'sshd\n' > "$L/usr/sbin/sshd"
