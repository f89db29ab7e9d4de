new_layer; mkdir -p "$L/srv/upload" "$L/tmp"; chmod 0755 "$L/srv/upload"; chmod 1777 "$L/tmp"
