new_layer; mkdir -p "$L/opt"; ln -s b "$L/opt/a"; printf 'x\n' > "$L/opt/b"
