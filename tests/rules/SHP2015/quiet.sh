new_layer 'RUN useradd app'; mkdir -p "$L/etc"
printf 'root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/home/app:/bin/sh\n' > "$L/etc/passwd"
printf 'root:x:0:\nusers:x:100:\napp:x:1000:\n' > "$L/etc/group"
