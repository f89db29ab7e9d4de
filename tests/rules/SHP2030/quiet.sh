new_layer; mkdir -p "$L/usr/bin"; printf 'app\n' > "$L/usr/bin/app"; ln -s missing-shell "$L/usr/bin/sh"
