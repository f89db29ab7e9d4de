new_layer; mkdir -p "$L/usr/bin"; printf 'apt\n' > "$L/usr/bin/apt-get"; printf 'pip\n' > "$L/usr/bin/pip3"
