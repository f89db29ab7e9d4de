new_layer; mkdir -p "$L/srv/upload"; chmod 0777 "$L/srv/upload"
