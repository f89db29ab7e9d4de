new_layer 'ADD rootfs /'; mkdir -p "$L/bin"; printf 'base\n' > "$L/bin/base"
new_layer 'COPY big /data'; head -c 100000 /dev/zero > "$L/data"
new_layer 'RUN chmod 600 /data'; head -c 100000 /dev/zero > "$L/data"
