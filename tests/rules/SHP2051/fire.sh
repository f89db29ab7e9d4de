new_layer; mkdir -p "$L/opt"; ln -s b "$L/opt/a"; ln -s a "$L/opt/b"
